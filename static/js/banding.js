// The radar of the candidate comparison; data through json_script ("banding-data").
(function () {
  const el = document.getElementById("banding-data");
  if (!el) return;
  const d = JSON.parse(el.textContent);
  const colours = ["#0d6efd", "#d63384", "#fd7e14", "#20c997"];
  new Chart(document.getElementById("radar-banding"), {
    type: "radar",
    data: {labels: d.labels, datasets: [{label: "Standar target", data: d.standar, borderColor: "#198754", borderDash: [4, 4], backgroundColor: "rgba(0,0,0,0)"}]
      .concat(d.people.map((p, i) => ({label: p.nama, data: p.levels, borderColor: colours[i], backgroundColor: "rgba(0,0,0,0)"})))},
    options: {scales: {r: {min: 0, max: 5, ticks: {stepSize: 1}}}, animation: false},
  });
})();
