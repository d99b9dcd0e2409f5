import assert from "node:assert/strict";
import { test } from "node:test";

import { Authorship } from "../js/lib/authorship.js";
import { Replay, groupEdits } from "../js/lib/replay.js";
import { makeDelta } from "../js/lib/textsync.js";

const amina = { id: 1, name: "Amina", group: "civil_society" };
const lucas = { id: 2, name: "Lucas", group: "government" };

function logOf(steps) {
  let text = "";
  return steps.map(([next, user, seconds], rev) => {
    const entry = {
      rev, user, delta: makeDelta(text, next),
      created_at: new Date(Date.UTC(2026, 0, 1, 10, 0, seconds)).toISOString(),
    };
    text = next;
    return entry;
  });
}

test("authorship follows who wrote which part through later edits", () => {
  const log = logOf([
    ["Start.", null, 0],
    ["Start. Amina 😀 writes.", amina, 1],
    ["Lucas: Start. Amina 😀 writes.", lucas, 2],
    ["Lucas: Start. Amina 😀 writes more.", amina, 3],
    ["Lucas: Start. Amina 😀 more.", lucas, 4],
  ]);
  const authorship = new Authorship().apply(log.slice(0, 3)).apply(log.slice(2));
  assert.equal(authorship.rev, 4);
  const text = authorship.text;
  assert.equal(text, "Lucas: Start. Amina 😀 more.");
  const spans = authorship.spans().map((s) => [text.slice(s.from, s.to), s.user.name]);
  assert.deepEqual(spans, [["Lucas: ", "Lucas"], [" Amina 😀 more.", "Amina"]]);
  // the starting text is nobody's
  const written = authorship.spans().reduce((n, s) => n + s.to - s.from, 0);
  assert.equal(written, text.length - "Start.".length);
  assert.deepEqual(authorship.authors().map((a) => a.user.name), ["Amina", "Lucas"]);
});

test("the timeslider groups edits by author and pause", () => {
  const log = logOf([
    ["", null, 0],
    ["a", amina, 1], ["ab", amina, 2], ["abc", amina, 3], // one burst
    ["abcL", lucas, 4], // another author
    ["abcLd", amina, 5],
    ["abcLde", amina, 30], // after a pause
  ]);
  assert.deepEqual(groupEdits(log), [
    { start: 0, end: 0 }, { start: 1, end: 3 }, { start: 4, end: 4 }, { start: 5, end: 5 },
    { start: 6, end: 6 },
  ]);
  const replay = new Replay(log);
  assert.equal(replay.length, 5);
  const burst = replay.step(1);
  assert.equal(burst.edits, 3);
  assert.equal(burst.before, "");
  assert.equal(burst.text, "abc");
  assert.equal(burst.entry.user.name, "Amina");
  assert.equal(burst.last.rev, 3);
});
