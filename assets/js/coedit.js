// The live page: CodeMirror editor of the working draft, synchronized over Socket.IO
// (docs/coedit-protocol.md), with presence, remote cursors, a connection indicator, a server-rendered preview and publishing.
import { markdown } from "@codemirror/lang-markdown";
import { Compartment, EditorState, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { io } from "socket.io-client";

import { colorFor, remoteChange, remotePeers, replaceText, setPeers } from "./lib/cm-presence.js";
import { Authorship } from "./lib/authorship.js";
import { fetchLog } from "./lib/replay.js";
import { SyncClient } from "./lib/sync-client.js";
import { _, ngettext } from "./lib/i18n.js";

const CURSOR_INTERVAL_MS = 120;
const PREVIEW_DELAY_MS = 400;
const AUTHORS_REFRESH_MS = 1_500;

// Authorship colours: marks over the text each author wrote, mapped through later changes.
const setAuthors = StateEffect.define();
const authorMarks = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) if (effect.is(setAuthors)) return effect.value;
    return marks.map(tr.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});

const root = document.getElementById("coedit");
if (root) start(root);

function start(root) {
  const config = root.dataset;
  const groups = JSON.parse(config.groups || "{}");
  const myUser = config.userId ? Number(config.userId) : null;
  const canEdit = config.mode === "edit";
  const elements = {
    editor: root.querySelector("[data-editor]"),
    preview: root.querySelector("[data-preview]"),
    status: root.querySelector("[data-status]"),
    statusText: root.querySelector("[data-status-text]"),
    peers: root.querySelector("[data-peers]"),
    messages: root.querySelector("[data-messages]"),
    mode: root.querySelector("[data-mode-label]"),
    publish: document.getElementById("coedit-publish"),
    authorsToggle: root.querySelector("[data-authors-toggle]"),
    authorsPanel: root.querySelector("[data-authors-panel]"),
    authors: root.querySelector("[data-authors]"),
  };
  const initial = root.querySelector("[data-initial-text]")?.value ?? "";
  elements.editor.replaceChildren();

  const readOnly = new Compartment();
  // Read-only still lets followers select and copy; screen readers are told it is read-only.
  const lock = (locked) => (locked
    ? [EditorState.readOnly.of(true), EditorView.contentAttributes.of({ "aria-readonly": "true" })]
    : []);
  let client = null;
  let peers = [];
  let observerCount = 0; // anonymous observers, counted by the server (older servers list them)

  const view = new EditorView({
    parent: elements.editor,
    state: EditorState.create({
      doc: initial,
      extensions: [
        basicSetup,
        markdown(),
        EditorView.lineWrapping,
        // The editor's <style> element carries the page's Content-Security-Policy nonce.
        EditorView.cspNonce.of(config.cspNonce || ""),
        remotePeers,
        authorMarks,
        readOnly.of(lock(!canEdit)),
        EditorView.contentAttributes.of({ "aria-label": _("Working draft, Markdown") }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            const remote = update.transactions.some((tr) => tr.annotation(remoteChange));
            const local = update.transactions.some((tr) => tr.docChanged && !tr.annotation(remoteChange));
            if (local && client) {
              // The exact changes of each of the user's transactions, in order, so that the
              // outgoing delta is what was typed (UTF-16 code units, as diff-match-patch counts).
              for (const tr of update.transactions) {
                if (!tr.docChanged || tr.annotation(remoteChange)) continue;
                const changes = [];
                tr.changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
                  changes.push({ from: fromA, to: toA, insert: inserted.toString() });
                });
                client.localChange(changes);
              }
            }
            if (remote || local) schedulePreview();
            // Not from inside an update: renderPeers dispatches the remote cursors.
            if (remote) queueMicrotask(renderPeers);
          }
          if (update.selectionSet || update.docChanged) scheduleCursor();
        }),
      ],
    }),
  });
  view.scrollDOM.tabIndex = 0; // the scrolling text is reachable by keyboard, even read-only

  const host = {
    getText: () => view.state.doc.toString(),
    setText: (text, changes) => replaceText(view, text, changes),
  };

  // --- transport -----------------------------------------------------------------------------
  const socket = io("/coedit", { autoConnect: false, reconnectionDelayMax: 4000 });
  let attempts = 0;
  let lastStatus = null;
  const transport = {
    isConnected: () => socket.connected,
    emit: (event, payload, timeout) => new Promise((resolve) => {
      socket.timeout(timeout).emit(event, payload, (error, ack) => {
        resolve(error ? { ok: false, error: { code: "timeout", message: "" } } : ack);
      });
    }),
    send: (event, payload) => socket.volatile.emit(event, payload),
  };

  client = new SyncClient({
    transport, host, doc: config.doc, lang: config.lang, mode: canEdit ? "edit" : "follow",
    minIntervalMs: 60,
    listeners: {
      onStatus: renderStatus,
      onMessage: showMessage,
      onPeers: (list, count) => { peers = list || []; observerCount = count || 0; renderPeers(); },
      onJoined: () => {
        lastSent = "";
        const editing = client.mode === "edit";
        view.dispatch({ effects: readOnly.reconfigure(lock(!editing)) });
        elements.mode.textContent = editing ? _("You are editing") : _("Read-only: you are following");
        schedulePreview();
        scheduleCursor();
      },
      onReadOnly: (reason) => {
        view.dispatch({ effects: readOnly.reconfigure(lock(true)) });
        elements.mode.textContent = _("Read-only: you are following");
        if (elements.publish) elements.publish.hidden = true;
        showMessage({ level: "error", text: reason });
      },
    },
  });

  // Editors may type at once, even before the connection is up: start() carries it over.
  if (canEdit) client.seed(initial, Number(config.rev));

  socket.on("connect", () => {
    attempts = 0;
    client.connected();
  });
  socket.on("disconnect", () => client.disconnected());
  socket.on("connect_error", (error) => {
    attempts += 1;
    // A refusal by the server carries the protocol's {code, message}; a network failure does not.
    const refusal = error && error.data && typeof error.data.code === "string" ? error.data : null;
    if (refusal) {
      showMessage({ level: "error", text: refusal.message || _("Connection refused (%(code)s)", { code: refusal.code }) });
      renderStatus({ state: "stopped", unsynced: client.unsynced || 0 });
      return;
    }
    renderStatus(lastStatus || { state: "disconnected", unsynced: 0 });
  });
  socket.on("changed", (event) => {
    if (event && event.doc === config.doc && event.lang === config.lang) client.remoteChanged(event.rev);
  });
  // Push mode (the default): editors get `edits`, followers one `revs` per window.
  const ours = (event) => event && event.doc === config.doc && event.lang === config.lang;
  socket.on("edits", (event) => {
    if (ours(event)) client.pushed(event);
  });
  socket.on("revs", (event) => {
    if (ours(event)) client.revs(event);
  });
  socket.on("presence", (event) => {
    if (!event || event.doc !== config.doc || event.lang !== config.lang) return;
    peers = event.peers || [];
    observerCount = event.observers || 0;
    renderPeers();
  });
  window.addEventListener("online", () => renderStatus(lastStatus));
  window.addEventListener("offline", () => renderStatus(lastStatus));
  window.addEventListener("beforeunload", (event) => {
    if (client.mode === "edit" && client.hasPending()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  renderStatus({ state: "disconnected", unsynced: 0 });
  socket.connect();

  // --- status --------------------------------------------------------------------------------
  function renderStatus(status) {
    if (!status) return;
    lastStatus = status;
    if (typeof status.rev === "number") scheduleAuthors();
    const changes = (n) => ngettext("%(num)d unsynced change", "%(num)d unsynced changes", n);
    let state = status.state;
    let text;
    const following = status.mode && status.mode !== "edit";
    if (state === "connected" && following) {
      // Observers save nothing: tell them they see the draft live, not that "changes" are saved.
      text = _("Connected · following the draft live");
    } else if (state === "connected") {
      text = status.unsynced ? _("Connected · saving %(changes)s…", { changes: changes(status.unsynced) }) : _("Connected · all changes saved");
    } else if (state === "joining") {
      text = _("Connecting…");
    } else if (state === "stopped") {
      text = _("Stopped");
    } else if (following && (!navigator.onLine || attempts >= 3)) {
      state = "offline";
      text = _("Offline · the draft will update when the connection returns");
    } else if (!navigator.onLine || attempts >= 3) {
      state = "offline";
      text = _("Offline · %(changes)s; they will be sent when the connection returns", { changes: changes(status.unsynced) });
    } else {
      state = "reconnecting";
      text = status.unsynced ? _("Reconnecting… (%(changes)s)", { changes: changes(status.unsynced) }) : _("Reconnecting…");
    }
    elements.status.dataset.state = state;
    elements.statusText.textContent = text;
    if (typeof status.rev === "number") elements.status.dataset.rev = String(status.rev);
  }

  function showMessage({ level, text }) {
    if (!text) return;
    const item = document.createElement("p");
    item.className = level === "error" ? "error-message" : "warning";
    item.textContent = text;
    elements.messages.replaceChildren(item);
  }

  // --- presence ------------------------------------------------------------------------------
  const peerUser = (peer) => (peer.user && typeof peer.user === "object" ? peer.user.id : peer.user);
  const isSelf = (peer) => (peer.client_id ? peer.client_id === client.clientId
    : peerUser(peer) !== null && peerUser(peer) === myUser);

  // Joins and departures are announced politely to screen readers (not every cursor move).
  let present = null;
  function announcePresence() {
    const live = root.querySelector("[data-presence-live]");
    const others = peers.filter((p) => peerUser(p) != null && !isSelf(p));
    const names = new Map(others.map((p) => [String(peerUser(p)), p.name || _("Participant")]));
    if (present && live) {
      const joined = [...names].filter(([id]) => !present.has(id)).map(([, name]) => _("%(name)s joined", { name }));
      const left = [...present].filter(([id]) => !names.has(id)).map(([, name]) => _("%(name)s left", { name }));
      if (joined.length || left.length) live.textContent = [...joined, ...left].join(". ");
    }
    present = names;
  }

  function renderPeers() {
    const length = view.state.doc.length;
    const items = [];
    const carets = [];
    let observers = observerCount;
    for (const peer of peers) {
      const user = peerUser(peer);
      if (user === null || user === undefined) {
        observers += 1;
        continue;
      }
      const color = colorFor(user);
      const self = isSelf(peer);
      const item = document.createElement("li");
      item.className = "peer";
      item.dataset.user = String(user);
      const swatch = document.createElement("span");
      swatch.className = "peer-swatch";
      swatch.style.backgroundColor = color;
      swatch.setAttribute("aria-hidden", "true");
      const name = document.createElement("span");
      name.className = "peer-name";
      name.textContent = self ? _("%(name)s (you)", { name: peer.name || _("Participant") }) : peer.name || _("Participant");
      const group = document.createElement("span");
      group.className = `badge group-${peer.group}`;
      group.textContent = groups[peer.group] || peer.group || "";
      const where = document.createElement("span");
      where.className = "peer-where muted";
      const mode = peer.mode === "edit" ? _("editing") : _("following");
      if (typeof peer.offset === "number" && peer.mode === "edit") {
        const line = view.state.doc.lineAt(Math.max(0, Math.min(length, peer.offset))).number;
        where.textContent = _("%(mode)s, line %(line)s", { mode, line });
      } else {
        where.textContent = mode;
      }
      item.append(swatch, name, " ", group, " ", where);
      items.push(item);
      if (!self && peer.mode === "edit" && typeof peer.offset === "number") {
        carets.push({ name: peer.name || _("Participant"), color, offset: peer.offset, end: peer.end });
      }
    }
    if (observers) {
      const item = document.createElement("li");
      item.className = "peer muted";
      item.textContent = ngettext("%(num)d anonymous observer", "%(num)d anonymous observers", observers);
      items.push(item);
    }
    elements.peers.replaceChildren(...items);
    announcePresence();
    view.dispatch({ effects: setPeers.of(carets) });
  }

  // --- cursor --------------------------------------------------------------------------------
  let cursorTimer = null;
  let lastCursorAt = 0;
  let lastSent = "";
  function scheduleCursor() {
    if (client.mode !== "edit" || cursorTimer !== null) return;
    const wait = Math.max(0, lastCursorAt + CURSOR_INTERVAL_MS - Date.now());
    cursorTimer = setTimeout(() => {
      cursorTimer = null;
      lastCursorAt = Date.now();
      const { head, anchor } = view.state.selection.main;
      const key = `${head}:${anchor}`;
      if (key === lastSent || !client.joined) return;  // the server resets presence on join
      lastSent = key;
      client.cursor(head, anchor);
    }, wait);
  }

  // --- preview -------------------------------------------------------------------------------
  let previewTimer = null;
  let previewBusy = false;
  let previewed = null;
  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(renderPreview, PREVIEW_DELAY_MS);
  }

  async function renderPreview() {
    const text = host.getText();
    if (text === previewed) return;
    if (previewBusy) {
      schedulePreview();
      return;
    }
    previewBusy = true;
    try {
      const response = await fetch(config.previewUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": config.csrf },
        body: JSON.stringify({ text }),
        credentials: "same-origin",
      });
      if (response.ok) {
        const body = await response.json();
        elements.preview.innerHTML = body.html; // sanitised by the server's allow-list
        previewed = text;
      }
    } catch {
      // Offline: the preview catches up after the next change.
    } finally {
      previewBusy = false;
    }
  }

  // --- publishing ----------------------------------------------------------------------------
  if (elements.publish) {
    let flushing = false;
    elements.publish.addEventListener("submit", (event) => {
      if (!client.hasPending() || flushing) return;
      event.preventDefault();
      flushing = true;
      const button = elements.publish.querySelector("button[type=submit]");
      button.disabled = true;
      showMessage({ level: "warning", text: _("Saving your last changes before publishing…") });
      client.schedule(0);
      const started = Date.now();
      const poll = setInterval(() => {
        if (!client.hasPending()) {
          clearInterval(poll);
          elements.publish.submit();
        } else if (Date.now() - started > 8000) {
          clearInterval(poll);
          flushing = false;
          button.disabled = false;
          showMessage({
            level: "error",
            text: _("Your last changes could not be saved yet; check the connection and try again."),
          });
        }
      }, 100);
    });
  }

  // --- authorship ----------------------------------------------------------------------------
  // The edit log replayed into runs of text by author, fetched incrementally while shown.
  const authorship = new Authorship();
  let showAuthors = false;
  let authorsTimer = null;
  let authorsBusy = false;
  if (elements.authorsToggle) {
    elements.authorsToggle.hidden = false;
    elements.authorsToggle.addEventListener("click", () => {
      showAuthors = !showAuthors;
      elements.authorsToggle.setAttribute("aria-pressed", String(showAuthors));
      elements.authorsToggle.textContent = showAuthors ? "Hide who wrote what" : "Show who wrote what";
      elements.authorsPanel.hidden = !showAuthors;
      if (showAuthors) refreshAuthors();
      else view.dispatch({ effects: setAuthors.of(Decoration.none) });
    });
  }

  function scheduleAuthors() {
    if (!showAuthors || authorsTimer !== null) return;
    authorsTimer = setTimeout(() => {
      authorsTimer = null;
      refreshAuthors();
    }, AUTHORS_REFRESH_MS);
  }

  async function refreshAuthors() {
    if (!showAuthors || authorsBusy) return;
    authorsBusy = true;
    try {
      const entries = await fetchLog(config.logUrl, config.lang, { after: authorship.rev });
      authorship.apply(entries);
    } catch {
      authorship.rev = -1; // start again from the whole log next time
      authorship.text = "";
      authorship.runs = [];
      return;
    } finally {
      authorsBusy = false;
    }
    // Drawn when the log has caught up with the editor; marks then follow the typing.
    if (!showAuthors || authorship.text !== view.state.doc.toString()) {
      scheduleAuthors();
      return;
    }
    const marks = authorship.spans().map((span) => Decoration.mark({
      class: "cm-author",
      attributes: { style: `--author: ${colorFor(span.user.id)}`, title: span.user.name || "" },
    }).range(span.from, span.to));
    view.dispatch({ effects: setAuthors.of(Decoration.set(marks, true)) });
    const items = authorship.authors().map(({ user, length }) => {
      const item = document.createElement("li");
      item.className = "peer";
      const swatch = document.createElement("span");
      swatch.className = "peer-swatch";
      swatch.style.backgroundColor = colorFor(user.id);
      swatch.setAttribute("aria-hidden", "true");
      const name = document.createElement("span");
      name.className = "peer-name";
      name.textContent = user.name || "Participant";
      const size = document.createElement("span");
      size.className = "peer-where muted";
      size.textContent = `${length} character${length === 1 ? "" : "s"}`;
      item.append(swatch, name, size);
      return item;
    });
    elements.authors.replaceChildren(...items);
  }

  window.coedit = { view, client, socket, authorship }; // for debugging and browser tests
}
