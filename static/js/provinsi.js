// The stacked bar chart of the provincial dashboard; data through json_script ("sebaran-data").
(function () {
  const d = JSON.parse(document.getElementById("sebaran-data").textContent);
  new Chart(document.getElementById("chart-sebaran"), {
    type: "bar",
    data: {labels: d.labels, datasets: d.kotak.map((counts, i) => ({label: `Kotak ${i + 1}`, data: counts, backgroundColor: d.warna[i]}))},
    options: {indexAxis: "y", scales: {x: {stacked: true}, y: {stacked: true}}, animation: false, plugins: {legend: {position: "bottom"}}},
  });
})();
