// The meeting board: move a person to another box by drag and drop, or by selecting the card
// (click, tap, or Tab then Enter/Space) and choosing a box ("Pindahkan ke sini" buttons reached
// with Tab or the arrow keys, or a tap on the box). Either way the dialog asks for the reason and
// the written justification and posts the same form the page offers without JavaScript. While a
// move is pending, the distribution panel shows the boxes (as the meeting proposes them) as they
// would be after it.
(function () {
  const dialogElement = document.getElementById("move-dialog");
  const board = document.getElementById("papan-rapat");
  if (!dialogElement || !board) return;
  const dialog = new bootstrap.Modal(dialogElement);
  const zones = Array.from(board.querySelectorAll(".drop-zone"));
  const status = document.getElementById("papan-status");
  const panel = document.getElementById("sebaran-rapat");
  const preview = document.getElementById("sebaran-pratinjau");
  const percent = new Intl.NumberFormat("id-ID", {minimumFractionDigits: 1, maximumFractionDigits: 1});
  let selected = null;
  let submitted = false;

  function zoneOf(kotak) {
    return zones.find((zone) => zone.dataset.kotak === String(kotak));
  }

  // --- live distribution ---------------------------------------------------------------------------

  function row(kotak) {
    return panel.querySelector(`tr[data-kotak="${kotak}"]`);
  }

  function share(count, total) {
    return total ? (100 * count) / total : 0;
  }

  function showRow(kotak, before, after) {
    const total = Number(panel.dataset.total);
    const limit = Number(panel.dataset.batas);
    const tr = row(kotak);
    const over = share(after, total) > limit;
    tr.querySelector('[data-kolom="jumlah"]').textContent = before === after ? `${after}` : `${before} → ${after}`;
    tr.querySelector('[data-kolom="persen"]').textContent =
      before === after
        ? `${percent.format(share(after, total))}%`
        : `${percent.format(share(before, total))}% → ${percent.format(share(after, total))}%`;
    tr.querySelector('[data-kolom="pedoman"]').textContent = over ? "melebihi" : "sesuai";
    tr.classList.toggle("table-danger", over);
    tr.classList.toggle("fw-bold", before !== after);
    return over;
  }

  function resetDistribution() {
    panel.querySelectorAll("tr[data-kotak]").forEach((tr) => {
      const count = Number(tr.dataset.jumlah);
      showRow(tr.dataset.kotak, count, count);
    });
    preview.textContent = "";
    zones.forEach((zone) => zone.classList.remove("zona-tujuan"));
  }

  function previewMove(from, to) {
    resetDistribution();
    if (!from || !to || from === to) return;
    const fromCount = Number(row(from).dataset.jumlah);
    const toCount = Number(row(to).dataset.jumlah);
    showRow(from, fromCount, fromCount - 1);
    const over = showRow(to, toCount, toCount + 1);
    const total = Number(panel.dataset.total);
    zoneOf(to).classList.add("zona-tujuan");
    preview.textContent =
      `Setelah pemindahan: kotak ${from} menjadi ${fromCount - 1} orang, kotak ${to} menjadi ${toCount + 1} orang ` +
      `(${percent.format(share(toCount + 1, total))}%)` +
      (over ? `, melebihi pedoman ${panel.dataset.batas}%.` : ", sesuai pedoman.");
  }

  // --- select a card, choose a box ------------------------------------------------------------------

  function cancel() {
    if (!selected) return;
    const card = selected;
    selected = null;
    card.setAttribute("aria-pressed", "false");
    board.classList.remove("papan-memilih");
    zones.forEach((zone) => {
      const button = zone.querySelector(".pilih-kotak");
      if (button) button.hidden = true;
    });
    resetDistribution();
    status.textContent = `Pemilihan ${card.dataset.nama} dibatalkan.`;
    return card;
  }

  function select(card, {focusBoxes = true} = {}) {
    if (selected === card) {
      cancel();
      card.focus();
      return;
    }
    cancel();
    selected = card;
    card.setAttribute("aria-pressed", "true");
    board.classList.add("papan-memilih");
    zones.forEach((zone) => {
      const button = zone.querySelector(".pilih-kotak");
      if (button) button.hidden = zone.dataset.kotak === card.dataset.kotak;
    });
    status.textContent =
      `${card.dataset.nama} (NIP ${card.dataset.nip}, kotak ${card.dataset.kotak}) dipilih. ` +
      "Pilih kotak tujuan dengan tombol Pindahkan ke sini; panah berpindah antarkotak, Esc membatalkan.";
    // Straight to the boxes: the first one on the grid, the arrows lead on from there.
    if (focusBoxes) zones.map((zone) => zone.querySelector(".pilih-kotak")).find((button) => !button.hidden).focus();
  }

  function choose(kotak) {
    if (!selected || selected.dataset.kotak === String(kotak)) return;
    document.getElementById("move-penempatan").value = selected.dataset.penempatan;
    document.getElementById("move-kotak").value = kotak;
    document.getElementById("move-dialog-text").textContent =
      `${selected.dataset.nama} (NIP ${selected.dataset.nip}): kotak ${selected.dataset.kotak} → kotak ${kotak}`;
    previewMove(selected.dataset.kotak, String(kotak));
    submitted = false;
    dialog.show();
  }

  board.querySelectorAll(".draggable-person").forEach((card) => {
    card.addEventListener("click", (event) => {
      event.stopPropagation();
      select(card);
    });
    card.addEventListener("dragstart", (event) => {
      if (selected !== card) select(card, {focusBoxes: false});
      event.dataTransfer.setData("text/plain", card.dataset.penempatan);
      event.dataTransfer.effectAllowed = "move";
    });
  });

  zones.forEach((zone) => {
    const button = zone.querySelector(".pilih-kotak");
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      choose(zone.dataset.kotak);
    });
    button.addEventListener("focus", () => selected && previewMove(selected.dataset.kotak, zone.dataset.kotak));
    // A tap anywhere on a box (not on a card) chooses it, for touch screens.
    zone.addEventListener("click", () => choose(zone.dataset.kotak));
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      if (selected) previewMove(selected.dataset.kotak, zone.dataset.kotak);
    });
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      choose(zone.dataset.kotak);
    });
  });

  // Arrow keys move between the boxes' buttons as they sit on the grid (three per row).
  const steps = {ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0]};
  board.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && selected) {
      event.preventDefault();
      cancel().focus();
      return;
    }
    const step = steps[event.key];
    if (!step || !selected) return;
    const current = zones.indexOf(event.target.closest(".drop-zone"));
    if (current < 0) return;
    event.preventDefault();
    let rowIndex = Math.floor(current / 3);
    let column = current % 3;
    for (;;) {
      rowIndex += step[0];
      column += step[1];
      if (rowIndex < 0 || rowIndex > 2 || column < 0 || column > 2) return;
      const button = zones[rowIndex * 3 + column].querySelector(".pilih-kotak");
      if (button && !button.hidden) {
        button.focus();
        return;
      }
    }
  });

  // The reason comes first in the dialog, so the focus starts there (then Tab to the justification).
  dialogElement.addEventListener("shown.bs.modal", () => document.getElementById("move-jenis-alasan").focus());
  dialogElement.querySelector("form").addEventListener("submit", () => {
    submitted = true;
  });
  // Closed without saving: back to the card, the distribution as it is.
  dialogElement.addEventListener("hidden.bs.modal", () => {
    if (submitted) return;
    const card = cancel();
    if (card) card.focus();
  });
})();
