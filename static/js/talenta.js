// What templates ask for with data attributes, so that no page needs an inline script, event
// handler or style attribute (the Content-Security-Policy allows none of them).
(function () {
  // data-warna (a box colour) and data-lebar (a progress percentage), also in content htmx swaps in.
  function apply(root) {
    root.querySelectorAll("[data-warna]").forEach((el) => { el.style.backgroundColor = el.dataset.warna; });
    root.querySelectorAll("[data-lebar]").forEach((el) => { el.style.width = `${el.dataset.lebar}%`; });
  }

  // data-konfirmasi on a form: ask before sending it.
  document.addEventListener("submit", (event) => {
    const message = event.target.dataset.konfirmasi;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // data-kirim-saat-berubah on a select: choosing sends its form (period and instansi pickers).
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-kirim-saat-berubah]")) event.target.form.submit();
  });

  if (window.htmx) {
    window.htmx.onLoad(apply);
  } else {
    document.addEventListener("DOMContentLoaded", () => apply(document));
  }

  // data-cetak on the body of a print view: open the print dialog once the page is in.
  if (document.body.hasAttribute("data-cetak")) window.addEventListener("load", () => window.print());
})();
