// The timeslider: move through a live draft's edit log, one author's burst of typing at a time.
import { DIFF_DELETE, DIFF_INSERT } from "./lib/textsync.js";
import { Replay, fetchLog } from "./lib/replay.js";
import { _ } from "./lib/i18n.js";

const PLAY_INTERVAL_MS = 250;

const root = document.getElementById("replay");
if (root) start(root);

async function start(root) {
  const config = root.dataset;
  const groups = JSON.parse(config.groups || "{}");
  const $ = (selector) => root.querySelector(selector);
  const slider = $("[data-slider]");
  const output = $("[data-text]");
  const position = $("[data-position]");
  const author = $("[data-author]");
  const state = $("[data-state]");
  const buttons = {
    first: $("[data-first]"), previous: $("[data-previous]"), play: $("[data-play]"),
    next: $("[data-next]"), last: $("[data-last]"),
  };
  const formatTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

  let replay;
  try {
    replay = new Replay(await fetchLog(config.logUrl, config.lang));
  } catch (error) {
    state.textContent = error.message || _("The edit log could not be loaded.");
    return;
  }
  if (!replay.length) {
    state.textContent = _("No edits have been recorded for this draft yet.");
    return;
  }
  state.textContent = "";
  root.querySelector("[data-controls]").hidden = false;
  slider.max = String(replay.length - 1);
  slider.disabled = false;
  Object.values(buttons).forEach((button) => { button.disabled = false; });

  // Each step is shown as formatted text with its changes, rendered by the server like every
  // other diff of the site; the plain-text diff stands in until (or if) the frame arrives.
  let pendingFrame = null;
  const frames = new Map();
  const showFrame = async (fromRev, toRev, diffs) => {
    pendingFrame?.abort();
    const key = `${fromRev}:${toRev}`;
    if (!frames.has(key)) {
      output.replaceChildren(...renderDiff(diffs));
      delete output.dataset.rendered;
    }
    const controller = new AbortController();
    pendingFrame = controller;
    try {
      let html = frames.get(key);
      if (html === undefined) {
        const params = new URLSearchParams({ lang: config.lang, from: String(fromRev), to: String(toRev) });
        const response = await fetch(`${config.frameUrl}?${params}`, { signal: controller.signal });
        if (!response.ok) return;
        html = await response.text();
        frames.set(key, html);
        if (frames.size > 200) frames.delete(frames.keys().next().value);
      }
      if (controller.signal.aborted) return;
      output.innerHTML = html; // sanitized by the server against the site's allow-list
      output.dataset.rendered = "";
    } catch {
      return; // aborted by a later step, or offline: the plain-text diff stays
    }
    output.querySelector("ins, del, .diff-format")?.scrollIntoView({ block: "nearest" });
  };

  let playing = null;
  const show = (index) => {
    const clamped = Math.max(0, Math.min(replay.length - 1, index));
    slider.value = String(clamped);
    const { entry, last, edits, diffs, fromRev } = replay.step(clamped);
    const revs = edits > 1
      ? _("revisions %(first)s–%(last)s (%(edits)s edits)", { first: entry.rev, last: last.rev, edits })
      : _("revision %(rev)s", { rev: entry.rev });
    position.textContent = _("Edit %(n)s of %(total)s · %(revs)s", { n: clamped + 1, total: replay.length, revs });
    author.replaceChildren(...describe(entry));
    showFrame(fromRev, last.rev, diffs);
    slider.setAttribute("aria-valuetext", position.textContent);
    buttons.previous.disabled = clamped === 0;
    buttons.first.disabled = clamped === 0;
    buttons.next.disabled = clamped === replay.length - 1;
    buttons.last.disabled = clamped === replay.length - 1;
    return clamped;
  };
  const current = () => Number(slider.value);
  const stop = () => {
    clearInterval(playing);
    playing = null;
    buttons.play.textContent = _("Play");
    buttons.play.setAttribute("aria-pressed", "false");
  };

  slider.addEventListener("input", () => show(current()));
  buttons.first.addEventListener("click", () => { stop(); show(0); });
  buttons.previous.addEventListener("click", () => { stop(); show(current() - 1); });
  buttons.next.addEventListener("click", () => { stop(); show(current() + 1); });
  buttons.last.addEventListener("click", () => { stop(); show(replay.length - 1); });
  buttons.play.addEventListener("click", () => {
    if (playing) {
      stop();
      return;
    }
    if (current() >= replay.length - 1) show(0);
    buttons.play.textContent = _("Pause");
    buttons.play.setAttribute("aria-pressed", "true");
    playing = setInterval(() => {
      if (show(current() + 1) >= replay.length - 1) stop();
    }, PLAY_INTERVAL_MS);
  });
  show(replay.length - 1);

  function describe(entry) {
    const parts = [];
    if (entry.user) {
      const name = document.createElement("strong");
      name.textContent = entry.user.name;
      const group = document.createElement("span");
      group.className = `badge group-${entry.user.group}`;
      group.textContent = groups[entry.user.group] || entry.user.group;
      parts.push(name, " ", group);
    } else {
      const who = document.createElement("strong");
      who.textContent = entry.rev === 0 ? _("Starting text") : _("The platform");
      parts.push(who);
    }
    if (entry.created_at) {
      const time = document.createElement("time");
      time.dateTime = entry.created_at;
      const date = new Date(entry.created_at);
      time.textContent = Number.isNaN(date.getTime()) ? entry.created_at : formatTime.format(date);
      parts.push(" · ", time);
    }
    return parts;
  }
}

function renderDiff(diffs) {
  return diffs.map(([op, text]) => {
    if (op === DIFF_INSERT || op === DIFF_DELETE) {
      const mark = document.createElement(op === DIFF_INSERT ? "ins" : "del");
      mark.textContent = text;
      return mark;
    }
    return document.createTextNode(text);
  });
}
