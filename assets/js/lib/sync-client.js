// The client side of docs/coedit-protocol.md (differential synchronization with shadows),
// independent of the editor and of Socket.IO so that it runs under node's test runner against a fake server.
import { _ } from "./i18n.js";
import {
  applyChanges, carry, changesFromDiff, compose, decodeDelta, diffChange, diffDelta, diffEnds,
  diffFromChanges, diffTexts, distance, fuzzyRebase, patchText, sameDiff,
} from "./textsync.js";

const ACK_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 8_000;
// Push mode (the protocol's "Push mode"): applied pushes are acknowledged by an empty sync within
// 2 s; after `changed`, a push editor waits this long for the push before it syncs itself
// (the change may have been stored by another server process, which pushes to its own clients).
const PUSH_ACK_MS = 1_000;
const PUSH_GRACE_MS = 500;

/**
 * One channel (document, language) of one client.
 *
 * transport: { emit(event, payload, timeoutMs) -> Promise<ack>, send(event, payload),
 *              isConnected() -> bool }
 * host:      { getText() -> string, setText(text, changes?) } — setText keeps the user's
 *            selection; `changes` ({from, to, insert} in the current text's positions), when
 *            given, are the exact changes to make (the editor maps its selection through them).
 *
 * The client keeps the exact diff from its shadow to the editor's text (`local`), composed
 * from the editor's own changes (`localChange(changes)`), so that a keystroke travels as the
 * insertion it was and a server edit is carried over unsynced typing by exact rebase (concurrent
 * insertions at one place never nest). Fuzzy patching is only the fallback, and counted.
 * listeners: onStatus(status), onMessage({level, text}), onReadOnly(reason), onJoined(ack),
 *            onPeers(peers, observers)
 */
export class SyncClient {
  constructor({ transport, host, doc, lang, mode = "edit", debounceMs = 60, minIntervalMs = 0,
    timers = globalThis, listeners = {}, push = true }) {
    this.push = push; // ask for push mode
    this.pushing = false; // the server agreed
    this.pushTimer = null;
    this.pushes = { applied: 0, ignored: 0 };
    this.ignoredRev = -1; // the newest push ignored while a sync was in flight
    this.transport = transport;
    this.host = host;
    this.doc = doc;
    this.lang = lang;
    this.mode = mode;
    // Local changes go out at once when no sync left in the last `debounceMs`, else when that
    // spacing ends: a lone keystroke is not held back, a burst of typing travels together.
    this.debounceMs = debounceMs;
    // Spacing between syncs, to stay under the server's syncs-per-second limit.
    this.minIntervalMs = minIntervalMs;
    this.lastSyncAt = -Infinity;
    this.timers = timers;
    this.listeners = listeners;
    // Protocol state (docs/coedit-protocol.md "State: Client").
    this.shadow = null;
    this.n = 0;
    this.m = 0;
    this.outbox = [];
    this.clientId = null;
    // The text as the server last confirmed it, before the edits still in the outbox.
    this.confirmed = null;
    this.rev = null;
    this.joined = false;
    this.joining = false;
    this.inFlight = false;
    this.again = false;
    this.timer = null;
    this.session = 0; // bumped on every (re)connection: stale answers are ignored
    this.backoff = 0;
    this.unsynced = 0; // local changes made since the server last acknowledged everything
    this.badRequests = 0;
    this.stopped = false;
    this.failedHunks = 0;
    this.fuzzyFallbacks = 0; // server edits (or rejoins) carried by fuzzy patching, not exactly
    this.revsTimer = null; // a push follower's wait for the `revs` of a `changed`
    this.revsTarget = -1;
    // Exact diffs: shadow -> the editor's text as last seen (`known`), and confirmed -> shadow
    // (our edits still in the outbox); null when not known (then diffed when needed).
    this.local = null;
    this.known = null;
    this.sent = null;
  }

  /** Begin from text the page already shows (it was the server's at `rev`): typing may start
   * before the first join, and start() carries it onto the server's text. */
  seed(text, rev) {
    this.shadow = text;
    this.confirmed = text;
    this.rev = rev;
    this.resetLocal(text);
  }

  /** Local state is now `shadow == confirmed == text`. */
  resetLocal(text) {
    this.local = sameDiff(text);
    this.known = text;
    this.sent = sameDiff(text);
  }

  get readOnly() {
    return this.mode !== "edit";
  }

  // --- connection ----------------------------------------------------------------------------

  connected() {
    this.session += 1;
    this.joined = false;
    this.inFlight = false;
    this.join();
  }

  disconnected() {
    this.session += 1;
    this.joined = false;
    this.joining = false;
    this.inFlight = false;
    this.status();
  }

  async join() {
    if (this.stopped || this.joining) return;
    this.joining = true;
    const session = this.session;
    const payload = { doc: this.doc, lang: this.lang, mode: this.mode };
    if (this.push) payload.push = true;
    // A push follower keeps no state on the server: it always starts from the current text.
    if (this.clientId && !(this.push && this.readOnly)) payload.client_id = this.clientId;
    const ack = await this.transport.emit("join", payload, ACK_TIMEOUT_MS);
    if (session !== this.session) return;
    this.joining = false;
    if (!ack || !ack.ok) {
      this.fail(ack, "join");
      return;
    }
    const resumed = ack.client_id === this.clientId && this.shadow !== null
      && (ack.n !== 0 || ack.m !== 0 || ack.text === this.shadow);
    if (resumed) {
      // The server kept our state: our shadow, n, m and outbox stay; the next sync settles
      // whatever was lost in flight (duplicates are skipped, a lost answer restores the backup).
      this.acknowledge(ack.n);
    } else {
      this.start(ack);
    }
    this.clientId = ack.client_id;
    this.rev = ack.rev;
    this.joined = true;
    this.pushing = ack.push === true;
    this.backoff = 0;
    this.listeners.onJoined?.(ack);
    if (ack.peers) this.listeners.onPeers?.(ack.peers, ack.observers || 0);
    this.status();
    this.schedule(0);
  }

  /** Begin from the server's text; local typing not yet on the server is carried over. */
  start(ack) {
    const fresh = ack.text;
    if (this.shadow === null || this.readOnly) {
      this.host.setText(fresh);
    } else {
      const text = this.host.getText();
      let base = this.shadow;
      let mine = null;
      if (typeof ack.applied === "number") {
        // The server lost our state and says which of our edits reached its text: exactly
        // those numbered below `applied` (0: none). The rest, and the unsent typing, are ours
        // to carry over.
        ({ base, mine } = this.appliedBase(ack.applied, text));
      } else if (this.outbox.length && this.confirmed !== null
          && distance(this.confirmed, fresh) < distance(this.shadow, fresh)) {
        // A server that does not say (older than `applied`): edits still in the outbox may or
        // may not have reached it; start from whichever base its text is closer to.
        base = this.confirmed;
      }
      if (base !== fresh || text !== base) this.carryOnto(base, text, fresh, mine);
    }
    this.shadow = fresh;
    this.confirmed = fresh;
    this.n = ack.n;
    this.m = ack.m;
    this.outbox = [];
    const text = this.host.getText();
    this.sent = sameDiff(fresh);
    this.known = text;
    const exact = this.local && diffEnds(this.local);
    if (!exact || exact[0] !== fresh || exact[1] !== text) this.local = diffTexts(fresh, text);
  }

  /**
   * The shadow holding exactly our outbox edits numbered below `applied` (what the server's
   * text holds of ours), and the exact diff from it to the editor's text (the other outbox
   * edits, then the unsent typing), or null when not known.
   */
  appliedBase(applied, text) {
    let base = this.outbox.length && this.confirmed !== null ? this.confirmed : this.shadow;
    let rest = [];
    for (const edit of this.outbox) {
      if (edit.n < applied) {
        base = edit.shadow;
        rest = [];
      } else {
        rest.push(edit.diffs);
      }
    }
    let mine = null;
    const local = this.localDiff(text);
    if (local && diffEnds(local)[0] === this.shadow && rest.every(Boolean)) {
      try {
        mine = [...rest, local].reduce((sofar, step) => compose(sofar, step), sameDiff(base));
      } catch {
        mine = null;
      }
    }
    return { base, mine };
  }

  /** Re-apply the unacknowledged local changes (base -> text) to the fresh text; `exact`, when
   * given, is the exact diff from base to text. */
  carryOnto(base, text, fresh, exact = null) {
    let mine = this.localDiff(text);
    if (exact) {
      mine = exact;
    } else if (mine && base !== this.shadow) {
      // confirmed -> shadow (the outbox) then shadow -> text
      try {
        mine = this.sent ? compose(this.sent, mine) : null;
      } catch {
        mine = null;
      }
    }
    const [from, to] = mine ? diffEnds(mine) : [];
    if (from !== base || to !== text) mine = diffTexts(base, text);
    try {
      const carried = carry(mine, diffChange(base, fresh));
      this.host.setText(diffEnds(carried.changes)[1], changesFromDiff(carried.changes));
      this.local = carried.local;
      return;
    } catch {
      // fall through to fuzzy patching
    }
    this.fuzzyFallbacks += 1;
    const merged = fuzzyRebase(base, text, fresh);
    this.failedHunks += merged.failed;
    if (merged.failed) {
      this.message("warning", _("Some of your unsynced typing could not be placed in the "
        + "current text; please check the paragraph you were editing."));
    }
    this.host.setText(merged.text);
    this.local = null;
  }

  /**
   * The exact diff from the shadow to `text` (the editor's text), when known: the composed
   * editor changes, plus a diff of whatever changed since the editor last told us.
   */
  localDiff(text) {
    if (this.local === null || this.known === null) return null;
    if (this.known === text) return this.local;
    try {
      this.local = compose(this.local, diffTexts(this.known, text));
      this.known = text;
      return this.local;
    } catch {
      this.local = null;
      return null;
    }
  }

  // --- syncing -------------------------------------------------------------------------------

  /**
   * The editor's text changed by the user's hand. `changes` ({from, to, insert}, positions in
   * the text before them, sorted), when given, are exactly what changed; otherwise the change
   * is found by diffing the text before and after it.
   */
  localChange(changes) {
    if (this.readOnly || this.stopped) return;
    if (this.shadow !== null) this.noteChanges(changes);
    this.unsynced += 1;
    this.status();
    this.schedule(this.spacing());
  }

  noteChanges(changes) {
    if (this.local === null || this.known === null) return;
    try {
      if (!changes) {
        this.localDiff(this.host.getText());
        return;
      }
      const step = diffFromChanges(this.known, changes);
      this.local = compose(this.local, step);
      this.known = applyChanges(this.known, changes);
    } catch {
      this.local = null;
    }
  }

  /** The server says the channel changed. */
  remoteChanged(rev) {
    if (typeof rev === "number" && this.rev !== null && rev <= this.rev) return;
    if (this.pushing && typeof rev === "number") {
      if (this.readOnly) {
        this.awaitRevs(rev);
        return;
      }
      // The push brings it; sync only if none did by then.
      this.timers.setTimeout(() => {
        if (this.rev === null || this.rev < rev) this.schedule(0);
      }, PUSH_GRACE_MS);
      return;
    }
    this.schedule(0);
  }

  /** A push follower told of `rev` by `changed`: the room's `revs` brings it there within the
   * same window of the process that stored it; when none did (another process stored it), it
   * rejoins. The wait is spread over one more grace period so that a process's followers do not
   * all rejoin at once: the first rejoin makes that process send `revs` to the others. */
  awaitRevs(rev) {
    this.revsTarget = Math.max(this.revsTarget, rev);
    if (this.revsTimer !== null) return;
    this.revsTimer = this.timers.setTimeout(() => {
      this.revsTimer = null;
      if (this.stopped || !this.joined || this.rev === null || this.rev >= this.revsTarget) return;
      this.desync(); // rejoin from the current text
    }, PUSH_GRACE_MS * (1 + Math.random()));
  }

  /** A pushed `edits {rev, edits}`: applied as a sync answer's edits when nothing is in flight
   * or staged and it is newer than what we applied last; otherwise we sync, whose answer carries
   * the same changes. Returns true when applied. */
  pushed(event) {
    if (!this.pushing || this.readOnly || this.stopped || !event || !Array.isArray(event.edits)) {
      return false;
    }
    if (!this.joined || this.inFlight || this.outbox.length || typeof event.rev !== "number"
        || (this.rev !== null && event.rev <= this.rev)) {
      this.pushes.ignored += 1;
      if (this.inFlight && typeof event.rev === "number") {
        // The answer on its way carries the same changes unless the push is newer than it:
        // then we sync again right after it (see sync()).
        this.ignoredRev = Math.max(this.ignoredRev, event.rev);
      } else {
        this.schedule(0);
      }
      return false;
    }
    if (!this.applyEdits(event.edits)) {
      this.desync();
      return false;
    }
    this.pushes.applied += 1;
    this.rev = event.rev;
    this.status();
    if (this.pushTimer === null) {
      // Acknowledge within 2 s (any sync does; typing usually sends one sooner).
      this.pushTimer = this.timers.setTimeout(() => {
        this.pushTimer = null;
        this.schedule(0);
      }, PUSH_ACK_MS);
    }
    return true;
  }

  /** A followers' `revs {from, to, delta}`: applied at rev `from`, else we rejoin. */
  revs(event) {
    if (!this.pushing || !this.readOnly || this.stopped || !this.joined || !event) return false;
    if (typeof event.to !== "number" || (this.rev !== null && event.to <= this.rev)) return false;
    let decoded = null;
    if (event.from === this.rev && typeof event.delta === "string") {
      try {
        decoded = decodeDelta(this.shadow, event.delta);
      } catch {
        decoded = null;
      }
    }
    if (decoded === null) {
      this.desync(); // rejoin from the current text
      return false;
    }
    if (decoded.text !== this.host.getText()) {
      this.host.setText(decoded.text, changesFromDiff(decoded.diffs));
    }
    this.shadow = decoded.text;
    this.confirmed = decoded.text;
    this.resetLocal(decoded.text);
    this.rev = event.to;
    this.status();
    return true;
  }

  schedule(delay) {
    if (this.stopped) return;
    if (this.timer !== null) {
      if (delay > 0) return; // a sync is already due soon
      this.timers.clearTimeout(this.timer);
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.sync();
    }, Math.max(delay, this.backoff, this.lastSyncAt + this.minIntervalMs - Date.now()));
  }

  hasPending() {
    return this.outbox.length > 0 || (this.shadow !== null && this.host.getText() !== this.shadow);
  }

  async sync() {
    if (this.stopped || !this.joined || !this.transport.isConnected()) return;
    if (this.pushing && this.readOnly) return; // a push follower never syncs
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.again = false;
    this.lastSyncAt = Date.now();
    const session = this.session;
    if (!this.readOnly) {
      const text = this.host.getText();
      if (text !== this.shadow) {
        if (this.outbox.length === 0) {
          this.confirmed = this.shadow;
          this.sent = sameDiff(this.shadow);
        }
        let diffs = this.localDiff(text);
        if (diffs) {
          const [from, to] = diffEnds(diffs);
          if (from !== this.shadow || to !== text) diffs = null;
        }
        let delta = null;
        try {
          if (diffs) delta = diffDelta(diffs);
        } catch {
          delta = null;
        }
        if (delta === null) {
          diffs = diffTexts(this.shadow, text);
          delta = diffDelta(diffs);
        }
        // the shadow after this edit and its exact diff, kept to rebuild exactly what the server
        // holds of ours if it loses our state (see start()); only n and delta are sent
        this.outbox.push({ n: this.n, delta, shadow: text, diffs });
        this.n += 1;
        try {
          this.sent = this.sent ? compose(this.sent, diffs) : null;
        } catch {
          this.sent = null;
        }
        this.shadow = text;
        this.local = sameDiff(text);
        this.known = text;
      }
    }
    const edits = this.outbox.map(({ n, delta }) => ({ n, delta }));
    const payload = { doc: this.doc, lang: this.lang, m: this.m, edits };
    const ack = await this.transport.emit("sync", payload, ACK_TIMEOUT_MS);
    if (session !== this.session) return; // answer to an earlier connection
    this.inFlight = false;
    if (!ack || !ack.ok) {
      this.fail(ack, "sync");
      return;
    }
    this.backoff = 0;
    this.badRequests = 0;
    this.acknowledge(ack.n);
    if (this.outbox.length === 0) {
      this.confirmed = this.shadow;
      this.sent = sameDiff(this.shadow);
    }
    if (!this.applyEdits(ack.edits || [])) {
      this.desync();
      return;
    }
    if (typeof ack.rev === "number" && (this.rev === null || ack.rev > this.rev)) this.rev = ack.rev;
    if (this.ignoredRev > (this.rev ?? -1)) this.again = true; // a push newer than this answer
    this.ignoredRev = -1;
    if (this.outbox.length === 0 && this.host.getText() === this.shadow) this.unsynced = 0;
    this.status();
    if (this.again || this.hasPending()) this.schedule(this.again ? 0 : this.spacing());
  }

  /** How long local changes wait: until `debounceMs` after the last sync left (leading edge). */
  spacing() {
    return Math.max(0, this.lastSyncAt + this.debounceMs - Date.now());
  }

  /** The server has our edits numbered below n: drop them from the outbox; the confirmed text
   * is then the shadow after the last of them (it must hold exactly what the server has). */
  acknowledge(n) {
    const acknowledged = this.outbox.filter((edit) => edit.n < n);
    if (!acknowledged.length) return;
    this.outbox = this.outbox.filter((edit) => edit.n >= n);
    this.confirmed = acknowledged[acknowledged.length - 1].shadow;
    try {
      this.sent = this.outbox.reduce((sofar, edit) => compose(sofar, edit.diffs),
        sameDiff(this.confirmed));
    } catch {
      this.sent = null;
    }
  }

  /** Server edits with m >= ours, in order; false when one does not fit (rejoin). */
  applyEdits(list) {
    const edits = list.slice().sort((a, b) => a.m - b.m);
    for (const edit of edits) {
      if (edit.m < this.m) continue;
      if (edit.m > this.m || !this.applyServerEdit(edit.delta)) return false;
    }
    return true;
  }

  applyServerEdit(delta) {
    let decoded;
    try {
      decoded = decodeDelta(this.shadow, delta);
    } catch {
      return false;
    }
    const text = this.host.getText();
    if (this.outbox.length) this.sent = null; // confirmed -> shadow is no longer only ours
    if (text === this.shadow) {
      if (decoded.text !== text) this.host.setText(decoded.text, changesFromDiff(decoded.diffs));
      this.local = sameDiff(decoded.text);
      this.known = decoded.text;
    } else {
      const mine = this.localDiff(text);
      let carried = null;
      if (mine && diffEnds(mine)[0] === this.shadow) {
        try {
          carried = carry(mine, decoded.diffs);
        } catch {
          carried = null;
        }
      }
      if (carried) {
        const next = diffEnds(carried.changes)[1];
        if (next !== text) this.host.setText(next, changesFromDiff(carried.changes));
        this.local = carried.local;
        this.known = next;
      } else {
        this.fuzzyFallbacks += 1;
        const patched = patchText(this.shadow, decoded.diffs, text);
        this.failedHunks += patched.failed;
        if (patched.text !== text) this.host.setText(patched.text);
        this.local = null;
      }
    }
    this.shadow = decoded.text;
    if (this.outbox.length === 0) {
      this.confirmed = this.shadow;
      this.sent = sameDiff(this.shadow);
    }
    this.m += 1;
    if (this.local === null) {
      // Found again by one diff from the new shadow, then kept exact from the next change on.
      this.known = this.host.getText();
      this.local = diffTexts(this.shadow, this.known);
    }
    return true;
  }

  desync() {
    // Rejoin without our client_id; start() re-applies what we typed to the fresh text.
    this.clientId = null;
    this.joined = false;
    this.inFlight = false;
    this.session += 1;
    this.join();
  }

  fail(ack, during) {
    const error = (ack && ack.error) || { code: "timeout", message: "" };
    const text = error.message || "";
    switch (error.code) {
      case "desync":
        this.desync();
        break;
      case "rate_limited":
        this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff ? this.backoff * 2 : 250);
        this.retry(during);
        break;
      case "timeout":
        // The answer may still come later on another connection; resending is safe.
        this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff ? this.backoff * 2 : 500);
        this.retry(during);
        break;
      case "forbidden":
      case "unauthenticated":
        this.becomeFollower(error.code === "unauthenticated"
          ? _("Your session has ended: log in again to keep editing. Changes not yet saved "
            + "were discarded.")
          : text || _("You may not edit this draft; it is now read-only for you."));
        break;
      case "too_large":
        this.message("error", (text || _("That change is too large to sync."))
          + " " + _("The editor was reset to the saved draft."));
        this.reset();
        break;
      case "not_found":
        this.stop(text || _("This draft no longer exists."));
        break;
      default:
        this.badRequests += 1;
        if (this.badRequests > 3) {
          this.stop(text || _("The server refused our changes."));
        } else {
          this.reset();
        }
    }
    this.status();
  }

  retry(during) {
    this.joining = false;
    if (during === "join") {
      this.timers.setTimeout(() => this.join(), this.backoff);
    } else {
      this.schedule(0);
    }
  }

  /** Drop local state and start again from the server's text. */
  reset() {
    this.shadow = null;
    this.outbox = [];
    this.unsynced = 0;
    this.clientId = null;
    this.joined = false;
    this.session += 1;
    this.join();
  }

  becomeFollower(reason) {
    const wasEditing = this.mode === "edit";
    this.mode = "follow";
    this.listeners.onReadOnly?.(reason);
    if (wasEditing) {
      this.shadow = null;
      this.outbox = [];
      this.unsynced = 0;
      this.clientId = null;
      this.joined = false;
      this.session += 1;
      this.join();
    } else {
      this.stop(reason);
    }
  }

  stop(reason) {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.message("error", reason);
    this.status();
  }

  // --- presence ------------------------------------------------------------------------------

  cursor(offset, end) {
    if (!this.joined || this.stopped) return;
    this.transport.send("cursor", { doc: this.doc, lang: this.lang, offset, end });
  }

  leave() {
    if (this.joined) this.transport.send("leave", { doc: this.doc, lang: this.lang });
    this.stopped = true;
  }

  // --- reporting -----------------------------------------------------------------------------

  message(level, text) {
    this.listeners.onMessage?.({ level, text });
  }

  status() {
    let state;
    if (this.stopped) state = "stopped";
    else if (this.joined) state = "connected";
    else if (this.transport.isConnected()) state = "joining";
    else state = "disconnected";
    const unsynced = this.readOnly ? 0 : (this.hasPending() ? Math.max(this.unsynced, 1) : 0);
    this.listeners.onStatus?.({ state, unsynced, rev: this.rev, mode: this.mode });
  }
}
