/* The daily chart of the public page. Without JavaScript (or Chart.js) the table below
   it stays open and shows the same figures; with the chart drawn, the table folds. */
(function () {
  "use strict";
  var box = document.getElementById("daily-chart-box");
  var canvas = document.getElementById("daily-chart");
  var source = document.getElementById("daily-data");
  var table = document.getElementById("daily-table");
  if (!box || !canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  if (!data.labels.length) return;
  var dong = new Intl.NumberFormat("vi-VN");
  box.classList.remove("d-none");
  if (table) table.removeAttribute("open");
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
      scales: {
        x: { ticks: { autoSkip: true, maxRotation: 0 } },
        y: { ticks: { callback: function (v) { return dong.format(v); } } }
      }
    }
  });
})();
