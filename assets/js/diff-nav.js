// Keyboard moves between the changes of a diff: j or n to the next, k or p to the previous.
// Focus goes to the change itself (each has tabindex="-1"), so screen readers read it out.
const NEXT = new Set(["j", "n"]);
const PREVIOUS = new Set(["k", "p"]);

const changes = () => [...document.querySelectorAll("[data-change]")];

/** True when a key press belongs to a field or widget rather than to the page. */
function typing(target) {
  if (!(target instanceof Element)) return false;
  return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
}

/** The index of the change to go to from the focused change, or from what is on screen. */
export function target(items, active, forward, viewportTop = 0) {
  const current = items.findIndex((item) => item === active || item.contains(active));
  if (current >= 0) return forward ? Math.min(current + 1, items.length - 1) : Math.max(current - 1, 0);
  const tops = items.map((item) => item.getBoundingClientRect().top - viewportTop);
  if (forward) {
    const below = tops.findIndex((top) => top > 1);
    return below >= 0 ? below : items.length - 1;
  }
  let above = -1;
  tops.forEach((top, index) => { if (top < -1) above = index; });
  return Math.max(above, 0);
}

function go(forward) {
  const items = changes();
  if (!items.length) return;
  const item = items[target(items, document.activeElement, forward)];
  item.focus({ preventScroll: true });
  item.scrollIntoView({ block: "center" });
}

if (changes().length) {
  document.querySelectorAll("[data-diff-keys]").forEach((hint) => { hint.hidden = false; });
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key.toLowerCase();
    if (!NEXT.has(key) && !PREVIOUS.has(key)) return;
    event.preventDefault();
    go(NEXT.has(key));
  });
}
