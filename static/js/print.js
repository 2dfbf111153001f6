// A button marked data-print opens the browser's print dialog (no inline
// handlers: the Content-Security-Policy allows scripts from files only).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
