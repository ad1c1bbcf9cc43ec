// Amélioration progressive : le bouton « Imprimer » n'apparaît que si JavaScript peut l'actionner.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
