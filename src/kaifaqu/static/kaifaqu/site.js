// Behaviour the templates would otherwise write inline (the Content-Security-Policy allows no inline script).

// A 取消 link marked data-history-back returns to the previous page; without history (or script) it follows its href.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-history-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
