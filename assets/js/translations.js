// Keyboard navigation in the translator's view: j/k next/previous paragraph, n next needing
// work, e edit the focused paragraph, Ctrl+Enter (or Cmd+Enter) save from a textarea.
const NEEDS_WORK = new Set(["missing", "outdated"]);

function rows() {
  return Array.from(document.querySelectorAll("[data-translator-view] .tr-row"));
}

function currentIndex(list) {
  const active = document.activeElement?.closest?.(".tr-row");
  if (active) return list.indexOf(active);
  const hash = decodeURIComponent(location.hash.slice(1));
  const target = hash ? document.getElementById(hash) : null;
  if (target) return list.indexOf(target);
  // Otherwise the first row whose top is in view.
  return list.findIndex((row) => row.getBoundingClientRect().bottom > 0) - 1;
}

function focusRow(row) {
  if (!row) return;
  history.replaceState(null, "", `#${row.id}`);
  row.focus({ preventScroll: true });
  row.scrollIntoView({ block: "start", behavior: "smooth" });
}

function move(step, predicate = () => true) {
  const list = rows();
  if (!list.length) return;
  const start = currentIndex(list);
  for (let i = 1; i <= list.length; i += 1) {
    const index = (((start + step * i) % list.length) + list.length) % list.length;
    if (predicate(list[index])) {
      focusRow(list[index]);
      return;
    }
  }
}

function typing(event) {
  const el = event.target;
  return el instanceof HTMLElement && (el.isContentEditable || ["TEXTAREA", "INPUT", "SELECT"].includes(el.tagName));
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.matches?.(".tr-form textarea")) {
    event.preventDefault();
    event.target.form.requestSubmit();
    return;
  }
  if (typing(event) || event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.key === "j") move(1);
  else if (event.key === "k") move(-1);
  else if (event.key === "n") move(1, (row) => NEEDS_WORK.has(row.dataset.state));
  else if (event.key === "e") {
    const list = rows();
    const row = list[Math.max(currentIndex(list), 0)];
    row?.querySelector("textarea")?.focus();
  } else return;
  event.preventDefault();
});

// Escape leaves the textarea and goes back to its paragraph, so j/k/n work again.
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && event.target.matches?.(".tr-form textarea")) {
    event.target.closest(".tr-row")?.focus();
  }
});
