/* The daily collection chart of the staff home; the same figures are in a table. */
(function () {
  "use strict";
  var canvas = document.getElementById("daily-chart");
  var source = document.getElementById("daily-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var dong = new Intl.NumberFormat("vi-VN");
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: "Số tiền (đồng)", data: data.amounts, backgroundColor: "#9b1c1c" }]
    },
    options: {
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (ctx) { return dong.format(ctx.parsed.y) + " đ"; } } }
      },
      scales: { y: { ticks: { callback: function (v) { return dong.format(v); } } } }
    }
  });
})();
