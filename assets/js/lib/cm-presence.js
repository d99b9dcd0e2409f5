// CodeMirror glue for co-editing: remote cursors and selections as decorations, and applying a
// remote text as minimal changes so that CodeMirror maps the local selection through them.
import { Annotation, StateEffect, StateField, Transaction } from "@codemirror/state";
import { Decoration, EditorView, WidgetType } from "@codemirror/view";

import { applyChanges, changesBetween } from "./textsync.js";

/** Marks transactions that come from the server, not from the user's hand. */
export const remoteChange = Annotation.define();

/** Replace the remote peers shown: [{key, name, color, offset, end}]. */
export const setPeers = StateEffect.define();

class CaretWidget extends WidgetType {
  constructor(name, color) {
    super();
    this.name = name;
    this.color = color;
  }

  eq(other) {
    return other.name === this.name && other.color === this.color;
  }

  toDOM() {
    const caret = document.createElement("span");
    caret.className = "cm-remote-caret";
    caret.style.borderLeftColor = this.color;
    caret.setAttribute("aria-hidden", "true");
    const label = document.createElement("span");
    label.className = "cm-remote-caret-label";
    label.style.backgroundColor = this.color;
    label.textContent = this.name;
    caret.appendChild(label);
    return caret;
  }

  ignoreEvent() {
    return true;
  }
}

function buildDecorations(peers, length) {
  const ranges = [];
  for (const peer of peers) {
    if (typeof peer.offset !== "number") continue;
    const head = clamp(peer.offset, length);
    const other = typeof peer.end === "number" ? clamp(peer.end, length) : head;
    const from = Math.min(head, other);
    const to = Math.max(head, other);
    if (to > from) {
      ranges.push(Decoration.mark({
        class: "cm-remote-selection",
        attributes: { style: `background-color: ${peer.color}33` },
      }).range(from, to));
    }
    ranges.push(Decoration.widget({ widget: new CaretWidget(peer.name, peer.color), side: 1 })
      .range(head));
  }
  return Decoration.set(ranges, true);
}

const clamp = (value, length) => Math.max(0, Math.min(length, Math.floor(value)));

export const remotePeers = StateField.define({
  create: () => Decoration.none,
  update(decorations, tr) {
    let next = decorations.map(tr.changes);
    for (const effect of tr.effects) {
      if (effect.is(setPeers)) next = buildDecorations(effect.value, tr.state.doc.length);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/**
 * Turn `view`'s text into `text` with minimal changes; the selection is mapped through them.
 * `changes` ({from, to, insert} in the current text), when given and fitting, are used as they
 * are: they place a remote insertion exactly where the server put it, never split around a
 * character it merely repeats.
 */
export function replaceText(view, text, changes) {
  const current = view.state.doc.toString();
  if (current === text) return;
  if (!changes || applyChanges(current, changes) !== text) changes = changesBetween(current, text);
  view.dispatch({
    changes,
    annotations: [remoteChange.of(true), Transaction.addToHistory.of(false)],
  });
}

const PALETTE = [
  "#d1495b", "#00798c", "#edae49", "#66a182", "#8d5b9e", "#2e4057", "#e07a5f", "#3d85c6",
  "#9c6644", "#c0399f",
];

/** A stable colour per participant. */
export function colorFor(key) {
  if (key === null || key === undefined) return "#7a8290";
  const text = String(key);
  let hash = 0;
  for (let i = 0; i < text.length; i += 1) hash = (hash * 31 + text.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}
