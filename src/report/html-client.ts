/**
 * The script that runs inside report.html: reads the embedded chart data (see
 * html-charts.ts) and hands it to Chart.js. Plain ES2017 so any current browser runs it; it
 * computes nothing the tests need to trust — the numbers and texts come ready-made.
 * Animation is off: the charts are complete as soon as the page has loaded (print, screenshots).
 */
/**
 * What every page's script does first (report.html, sweep.html): stop, marking the page, when
 * Chart.js is missing; else give every chart the page's look.
 */
export const CHART_SETUP = String.raw`  if (typeof Chart === 'undefined') {
    document.body.setAttribute('data-charts', 'missing');
    return;
  }
  Chart.defaults.animation = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = '#1d2330';
`;

export const REPORT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('push-bench-data').textContent);

${CHART_SETUP}
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

  /** The x axis of the latency CDF and histogram: log scale, round ticks in ms or s. */
  function latencyAxis() {
    return {
      type: 'logarithmic',
      title: { display: true, text: 'delivery latency (log scale)' },
      ticks: { autoSkip: false, maxRotation: 0, callback: function (value) { return isRoundLogTick(value) ? msText(value) : ''; } }
    };
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
            pointRadius: series.source === 'histogram' ? 0 : 3.5,
            pointHoverRadius: series.source === 'histogram' ? 4 : 6,
            tension: 0
          };
        })
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: latencyAxis(),
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

  /** Greys the steps outside the measured window and names each step at the top of the plot. */
  var PHASE_SHADES = { connect: 'rgba(91,100,117,0.16)', 'warm-up': 'rgba(91,100,117,0.09)', drain: 'rgba(91,100,117,0.09)', disconnect: 'rgba(91,100,117,0.16)' };
  var phaseShading = {
    id: 'phaseShading',
    beforeDatasetsDraw: function (chart, args, options) {
      var area = chart.chartArea;
      var x = chart.scales.x;
      var context = chart.ctx;
      context.save();
      context.font = '11px ' + Chart.defaults.font.family;
      context.textBaseline = 'top';
      options.phases.forEach(function (phase) {
        var left = Math.max(area.left, x.getPixelForValue(phase.from));
        var right = Math.min(area.right, x.getPixelForValue(phase.to));
        if (!(right > left)) return;
        if (PHASE_SHADES[phase.name]) {
          context.fillStyle = PHASE_SHADES[phase.name];
          context.fillRect(left, area.top, right - left, area.bottom - area.top);
        }
        if (right - left > context.measureText(phase.name).width + 6) {
          context.fillStyle = '#5b6475';
          context.fillText(phase.name, left + 3, area.top + 3);
        }
      });
      context.restore();
    }
  };

  function pointsOf(charts, values) {
    return values.map(function (value, index) { return { x: charts.x[index], y: value }; });
  }

  function line(label, charts, values, colour, extra) {
    return Object.assign({ label: label, data: pointsOf(charts, values), borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 2, tension: 0 }, extra || {});
  }

  function drawOverTime(canvas, charts, datasets, yAxes) {
    var last = charts.phases.length > 0 ? charts.phases[charts.phases.length - 1].to : 0;
    new Chart(canvas, {
      type: 'line',
      plugins: [phaseShading],
      data: { datasets: datasets },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: Object.assign({
          x: { type: 'linear', min: 0, max: Math.max(last, charts.x.length), title: { display: true, text: 'seconds from the start of the ramp' } }
        }, yAxes),
        plugins: {
          phaseShading: { phases: charts.phases },
          legend: { position: 'top', labels: { usePointStyle: true, boxHeight: 8 } }
        }
      }
    });
  }

  var FAILURE_COLOURS = ['#C62828', '#9A6700', '#6A1B9A', '#37474F'];

  function drawTransportOverTime(charts, index) {
    if (!charts) return;
    var colour = charts.colour;
    withCanvas('ts-latency-' + index, function (canvas) {
      drawOverTime(canvas, charts, [
        line('p50', charts, charts.latencyP50Ms, colour),
        line('p99', charts, charts.latencyP99Ms, colour, { borderDash: [6, 4], pointStyle: 'triangle' })
      ], {
        y: {
          type: 'logarithmic',
          title: { display: true, text: 'latency (log scale)' },
          ticks: { autoSkip: false, callback: function (value) { return isRoundLogTick(value) ? msText(value) : ''; } }
        }
      });
    });
    withCanvas('ts-deliveries-' + index, function (canvas) {
      drawOverTime(canvas, charts, [line('deliveries / s', charts, charts.deliveries, colour, { fill: 'origin', backgroundColor: colour + '33' })],
        { y: { beginAtZero: true, title: { display: true, text: 'deliveries per second' } } });
    });
    withCanvas('ts-connected-' + index, function (canvas) {
      drawOverTime(canvas, charts, [line('connected clients', charts, charts.connected, colour, { stepped: 'middle' })],
        { y: { beginAtZero: true, title: { display: true, text: 'clients' } } });
    });
    withCanvas('ts-server-' + index, function (canvas) {
      drawOverTime(canvas, charts, [
        line('CPU, % of one core', charts, charts.serverCpuPct, '#0072B2', { yAxisID: 'y' }),
        line('RSS, MiB', charts, charts.serverRssMiB, '#D55E00', { yAxisID: 'y1', borderDash: [6, 4] })
      ], {
        y: { beginAtZero: true, position: 'left', title: { display: true, text: 'CPU (% of one core)' } },
        y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'RSS (MiB)' } }
      });
    });
    withCanvas('ts-elu-' + index, function (canvas) {
      drawOverTime(canvas, charts, [
        line('server', charts, charts.serverEluPct, '#0072B2'),
        line('busiest client process', charts, charts.clientEluPct, '#009E73', { borderDash: [6, 4] })
      ], { y: { min: 0, max: 100, title: { display: true, text: 'event loop busy (%)' } } });
    });
    withCanvas('ts-failures-' + index, function (canvas) {
      drawOverTime(canvas, charts, charts.failures.map(function (failure, k) {
        return line(failure.kind + ' (' + failure.total + ')', charts, failure.perSecond, FAILURE_COLOURS[k % FAILURE_COLOURS.length], { stepped: 'middle' });
      }), { y: { beginAtZero: true, title: { display: true, text: 'failures per second' } } });
    });
  }

  function drawLatencyHistogram(canvas) {
    new Chart(canvas, {
      type: 'line',
      data: {
        datasets: data.latencyHistogram.map(function (histogram) {
          return {
            label: histogram.transport,
            data: histogram.bins.map(function (bin) { return { x: Math.sqrt(bin.fromMs * bin.toMs), y: bin.percent, bin: bin }; }),
            borderColor: histogram.colour,
            backgroundColor: histogram.colour,
            borderWidth: 2,
            pointRadius: 2.5,
            tension: 0
          };
        })
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: latencyAxis(),
          y: { beginAtZero: true, title: { display: true, text: '% of deliveries in the bin' } }
        },
        plugins: {
          legend: { position: 'top', labels: { usePointStyle: true, boxHeight: 8 } },
          tooltip: { callbacks: { label: function (item) {
            var bin = item.raw.bin;
            return item.dataset.label + ' — ' + Number(bin.percent.toPrecision(3)) + ' % between ' + msText(bin.fromMs) + ' and ' + msText(bin.toMs);
          } } }
        }
      }
    });
  }

  function withCanvas(id, draw) {
    var canvas = document.getElementById(id);
    if (canvas) draw(canvas);
  }

  withCanvas('latency-cdf', drawLatencyCdf);
  withCanvas('latency-histogram', drawLatencyHistogram);
  data.overTime.forEach(drawTransportOverTime);
  withCanvas('bytes-per-delivery', function (canvas) { drawBars(canvas, data.bytesPerDelivery, 'bytes per delivered event'); });
  withCanvas('requests-per-delivery', function (canvas) { drawBars(canvas, data.requestsPerDelivery, 'requests per delivered event'); });
  document.body.setAttribute('data-charts', 'drawn');
})();
`;
