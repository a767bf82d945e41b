// Drag a person onto another box; the dialog asks for the written justification and posts the
// same form the page offers without JavaScript.
(function () {
  const dialogElement = document.getElementById("move-dialog");
  if (!dialogElement) return;
  const dialog = new bootstrap.Modal(dialogElement);
  let dragged = null;

  document.querySelectorAll(".draggable-person").forEach((person) => {
    person.addEventListener("dragstart", (event) => {
      dragged = person;
      event.dataTransfer.setData("text/plain", person.dataset.penempatan);
      event.dataTransfer.effectAllowed = "move";
    });
  });

  document.querySelectorAll(".drop-zone").forEach((zone) => {
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("border", "border-3", "border-dark");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("border", "border-3", "border-dark"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("border", "border-3", "border-dark");
      if (!dragged || dragged.dataset.kotak === zone.dataset.kotak) return;
      document.getElementById("move-penempatan").value = dragged.dataset.penempatan;
      document.getElementById("move-kotak").value = zone.dataset.kotak;
      document.getElementById("move-dialog-text").textContent =
        `${dragged.dataset.nama}: kotak ${dragged.dataset.kotak} → kotak ${zone.dataset.kotak}`;
      dialog.show();
      dialogElement.addEventListener("shown.bs.modal", () => document.getElementById("move-alasan").focus(), {once: true});
    });
  });
})();
