// Print buttons: a script of its own, since the Content-Security-Policy allows no inline handler.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});

// Printing shows the whole text: folded runs of paragraphs open for the print and close again after.
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details.diff-fold:not([open])").forEach((fold) => {
    fold.open = true;
    fold.dataset.openedForPrint = "";
  });
});
window.addEventListener("afterprint", () => {
  document.querySelectorAll("details[data-opened-for-print]").forEach((fold) => {
    fold.open = false;
    delete fold.dataset.openedForPrint;
  });
});
