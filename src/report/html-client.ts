/**
 * The script that runs inside report.html: reads the embedded chart data (see
 * html-charts.ts) and hands it to Chart.js. Plain ES2017 so any current browser runs it; it
 * computes nothing the tests need to trust — the numbers and texts come ready-made.
 * Animation is off: the charts are complete as soon as the page has loaded (print, screenshots).
 */
export const REPORT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('push-bench-data').textContent);

  if (typeof Chart === 'undefined') {
    document.body.setAttribute('data-charts', 'missing');
    return;
  }
  Chart.defaults.animation = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = '#1d2330';

  /** Log-axis ticks at 1, 2 and 5 of each decade only: a readable scale. */
  function isRoundLogTick(value) {
    var exponent = Math.floor(Math.log10(value) + 1e-9);
    var mantissa = value / Math.pow(10, exponent);
    return [1, 2, 5].some(function (m) { return Math.abs(mantissa - m) < 1e-6; });
  }

  function msText(value) {
    var ms = Number(value.toPrecision(3));
    return ms >= 1000 ? Number((ms / 1000).toPrecision(3)) + ' s' : ms + ' ms';
  }

  function drawLatencyCdf(canvas) {
    new Chart(canvas, {
      type: 'line',
      data: {
        datasets: data.latencyCdf.map(function (series, index) {
          return {
            label: series.transport,
            data: series.points,
            borderColor: data.colours[index],
            backgroundColor: data.colours[index],
            borderWidth: 2,
            pointRadius: 3.5,
            pointHoverRadius: 6,
            tension: 0
          };
        })
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: {
            type: 'logarithmic',
            title: { display: true, text: 'delivery latency (log scale)' },
            ticks: { autoSkip: false, maxRotation: 0, callback: function (value) { return isRoundLogTick(value) ? msText(value) : ''; } }
          },
          y: {
            min: 0,
            max: 100,
            title: { display: true, text: '% of deliveries at or below' },
            ticks: { stepSize: 10, callback: function (value) { return value + ' %'; } }
          }
        },
        plugins: {
          legend: { position: 'top', labels: { usePointStyle: true, boxHeight: 8 } },
          tooltip: { callbacks: { label: function (item) { return item.dataset.label + ' — ' + item.raw.text; } } }
        }
      }
    });
  }

  /** Writes each bar's formatted value above it, so no one has to read values off the axis. */
  var barValueLabels = {
    id: 'barValueLabels',
    afterDatasetsDraw: function (chart, args, options) {
      var context = chart.ctx;
      var base = chart.scales.y.getPixelForValue(0);
      context.save();
      context.fillStyle = '#1d2330';
      context.textAlign = 'center';
      context.textBaseline = 'bottom';
      context.font = '600 12px ' + Chart.defaults.font.family;
      chart.getDatasetMeta(0).data.forEach(function (bar, index) {
        var top = isFinite(bar.y) ? bar.y : base;
        context.fillText(options.texts[index], bar.x, top - 4);
      });
      context.restore();
    }
  };

  function drawBars(canvas, bars, axisTitle) {
    new Chart(canvas, {
      type: 'bar',
      plugins: [barValueLabels],
      data: {
        labels: bars.map(function (bar) { return bar.transport; }),
        datasets: [{
          label: axisTitle,
          data: bars.map(function (bar) { return bar.value; }),
          backgroundColor: data.colours,
          maxBarThickness: 72
        }]
      },
      options: {
        maintainAspectRatio: false,
        scales: {
          y: { beginAtZero: true, grace: '12%', title: { display: true, text: axisTitle } },
          x: { grid: { display: false } }
        },
        plugins: {
          legend: { display: false },
          barValueLabels: { texts: bars.map(function (bar) { return bar.text; }) },
          tooltip: { callbacks: { label: function (item) { return bars[item.dataIndex].text; } } }
        }
      }
    });
  }

  function withCanvas(id, draw) {
    var canvas = document.getElementById(id);
    if (canvas) draw(canvas);
  }

  withCanvas('latency-cdf', drawLatencyCdf);
  withCanvas('bytes-per-delivery', function (canvas) { drawBars(canvas, data.bytesPerDelivery, 'bytes per delivered event'); });
  withCanvas('requests-per-delivery', function (canvas) { drawBars(canvas, data.requestsPerDelivery, 'requests per delivered event'); });
  document.body.setAttribute('data-charts', 'drawn');
})();
`;
