// Charts of the pegawai profile. Data comes through json_script, never through localised text.
// The SKP trend scores each predikat with the scheme of the placement (skp-data.skor_predikat).
(function () {
  const radarData = document.getElementById("radar-data");
  const radarCanvas = document.getElementById("radar-kompetensi");
  if (radarData && radarCanvas) {
    const d = JSON.parse(radarData.textContent);
    new Chart(radarCanvas, {
      type: "radar",
      data: {
        labels: d.labels,
        datasets: [
          {label: "Capaian", data: d.capaian, borderColor: "#0d6efd", backgroundColor: "rgba(13,110,253,.15)"},
          {label: "Standar jabatan", data: d.standar, borderColor: "#198754", backgroundColor: "rgba(0,0,0,0)"},
          {label: "Standar jenjang berikutnya", data: d.standar_berikutnya, borderColor: "#fd7e14", borderDash: [4, 4], backgroundColor: "rgba(0,0,0,0)"},
        ],
      },
      options: {scales: {r: {min: 0, max: 5, ticks: {stepSize: 1}}}, animation: false},
    });
  }

  const skpData = document.getElementById("skp-data");
  const skpCanvas = document.getElementById("tren-skp");
  if (skpData && skpCanvas) {
    const d = JSON.parse(skpData.textContent);
    new Chart(skpCanvas, {
      type: "line",
      data: {labels: d.tahun, datasets: [{label: "Skor predikat SKP", data: d.predikat.map((p) => d.skor_predikat[p]), borderColor: "#0d6efd"}]},
      options: {scales: {y: {min: 0, max: 100}}, plugins: {legend: {display: false}}, animation: false},
    });
  }
})();
