// The box distribution of the provincial dashboard as 100 % bars (shares, so instansi of different
// sizes compare); the tooltip adds the count. Data through json_script ("sebaran-data").
(function () {
  const d = JSON.parse(document.getElementById("sebaran-data").textContent);
  const percent = new Intl.NumberFormat("id-ID", {maximumFractionDigits: 1});
  new Chart(document.getElementById("chart-sebaran"), {
    type: "bar",
    data: {
      labels: d.labels,
      datasets: d.persen.map((shares, i) => ({label: `Kotak ${i + 1}`, data: shares, backgroundColor: d.warna[i]})),
    },
    options: {
      indexAxis: "y",
      animation: false,
      maintainAspectRatio: false,
      scales: {
        x: {stacked: true, min: 0, max: 100, ticks: {callback: (value) => `${value} %`}},
        y: {stacked: true},
      },
      plugins: {
        legend: {position: "bottom"},
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label}: ${percent.format(item.raw)} % (${d.jumlah[item.datasetIndex][item.dataIndex]} pegawai)`,
          },
        },
      },
    },
  });
})();
