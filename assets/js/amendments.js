// Live tracked-changes preview for amendment editors: a word-level diff as you type.
// Only text nodes are created, so nothing typed is ever parsed as HTML.
import DiffMatchPatch from "diff-match-patch";

const WORD = /\s+|[\p{L}\p{N}_'’-]+|[^\p{L}\p{N}\s]/gu;
const dmp = new DiffMatchPatch();
dmp.Diff_Timeout = 0.2;

function wordsToChars(a, b) {
  const tokens = [""];
  const index = new Map();
  const encode = (text) =>
    (text.match(WORD) || [])
      .map((token) => {
        if (!index.has(token)) {
          index.set(token, tokens.length);
          tokens.push(token);
        }
        return String.fromCharCode(index.get(token));
      })
      .join("");
  return [encode(a), encode(b), tokens];
}

function wordDiff(before, after) {
  const [a, b, tokens] = wordsToChars(before, after);
  const diffs = dmp.diff_main(a, b, false);
  dmp.diff_charsToLines_(diffs, tokens);
  dmp.diff_cleanupSemantic(diffs);
  return diffs;
}

function render(target, before, after) {
  const fragment = document.createDocumentFragment();
  for (const [op, text] of wordDiff(before, after)) {
    if (!text) continue;
    if (op === 0) {
      fragment.append(document.createTextNode(text));
    } else {
      const mark = document.createElement(op > 0 ? "ins" : "del");
      mark.className = op > 0 ? "diff-ins" : "diff-del";
      mark.textContent = text;
      fragment.append(mark);
    }
  }
  target.replaceChildren(fragment);
}

document.querySelectorAll("textarea[data-amend-preview]").forEach((textarea) => {
  const target = document.getElementById(textarea.dataset.amendPreview);
  if (!target) return;
  const base = textarea.dataset.amendBase || "";
  let pending = 0;
  const update = () => {
    pending = 0;
    render(target, base, textarea.value);
  };
  textarea.addEventListener("input", () => {
    if (!pending) pending = window.requestAnimationFrame(update);
  });
  update();
});
