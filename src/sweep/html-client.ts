/**
 * The script inside sweep.html: hands the embedded chart data (html-data.ts) to Chart.js.
 * Plain ES2017; it computes nothing the tests need to trust. Each transport is its median line
 * with the repeats' range as a band, the model's prediction dashed, the crossings as marks.
 */
import { CHART_SETUP } from '../report/html-client.js';

export const SWEEP_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('push-bench-sweep').textContent);
${CHART_SETUP}

  function points(values) {
    var out = [];
    values.forEach(function (y, i) { if (y !== null) out.push({ x: data.x[i], y: y }); });
    return out;
  }

  /** Bytes on an axis as people read them: 86.5 MB, not 86,500,000. */
  function bytesText(value) {
    var units = [[1e9, ' GB'], [1e6, ' MB'], [1e3, ' kB']];
    for (var i = 0; i < units.length; i++) if (Math.abs(value) >= units[i][0]) return Number((value / units[i][0]).toPrecision(3)) + units[i][1];
    return value + ' B';
  }

  /** On a log axis, ticks at 1, 2 and 5 of each decade (or 1 only, on a crowded axis), written short: 0.1, 2, 500, 5,000. */
  function logTick(value, unit, decadesOnly) {
    var exponent = Math.floor(Math.log10(value) + 1e-9);
    var mantissa = value / Math.pow(10, exponent);
    if (![1, 2, 5].some(function (m) { return Math.abs(mantissa - m) < 1e-6 && (m === 1 || !decadesOnly); })) return '';
    return unit === 'bytes' ? bytesText(value) : Number(value.toPrecision(3)).toLocaleString('en-US');
  }

  function translucent(hex) {
    return hex + '33';
  }

  function datasets(chart) {
    var sets = [];
    chart.series.forEach(function (s) {
      sets.push({ label: '_low ' + s.transport, data: points(s.low), borderWidth: 0, pointRadius: 0, fill: false });
      sets.push({ label: '_high ' + s.transport, data: points(s.high), borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: translucent(s.colour) });
      sets.push({ label: s.transport, data: points(s.median), borderColor: s.colour, backgroundColor: s.colour, borderWidth: 2, pointRadius: 3 });
      if (s.model) sets.push({ label: s.transport + ' (model)', data: points(s.model), borderColor: s.colour, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 });
    });
    if (chart.crossings.length > 0) {
      sets.push({
        label: 'crossing',
        type: 'scatter',
        data: chart.crossings.map(function (c) { return { x: c.x, y: c.y, label: c.label }; }),
        pointStyle: 'crossRot',
        pointRadius: 9,
        borderWidth: 3,
        borderColor: '#000000',
        backgroundColor: '#000000',
      });
    }
    return sets;
  }

  function xScale() {
    if (data.logX) return { type: 'logarithmic', title: { display: true, text: data.xTitle }, ticks: { autoSkip: false, maxRotation: 0, callback: function (value) { return logTick(Number(value), '', true); } } };
    var numeric = data.labels.length === 0 || data.x.some(function (x, i) { return x !== i; });
    return {
      type: 'linear',
      title: { display: true, text: data.xTitle },
      ticks: numeric ? {} : { stepSize: 1, callback: function (value) { return data.labels[value] === undefined ? '' : data.labels[value]; } },
    };
  }

  data.lines.forEach(function (line) {
    line.charts.forEach(function (chart) {
      var canvas = document.getElementById(chart.id);
      if (!canvas) return;
      new Chart(canvas, {
        type: 'line',
        data: { datasets: datasets(chart) },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          parsing: true,
          scales: {
            x: xScale(),
            y: {
              type: chart.logY ? 'logarithmic' : 'linear',
              title: { display: true, text: chart.title },
              ticks: chart.logY
                ? { autoSkip: false, callback: function (value) { return logTick(Number(value), chart.unit, false); } }
                : chart.unit === 'bytes' ? { callback: function (value) { return bytesText(Number(value)); } } : {},
            },
          },
          plugins: {
            legend: { labels: { filter: function (item) { return item.text.charAt(0) !== '_'; } } },
            tooltip: {
              filter: function (item) { return item.dataset.label.charAt(0) !== '_'; },
              callbacks: {
                label: function (ctx) {
                  var raw = ctx.raw || {};
                  return (raw.label ? raw.label + ': ' : ctx.dataset.label + ': ') + Number(ctx.parsed.y.toPrecision(4));
                },
              },
            },
          },
        },
      });
    });
  });
  document.body.setAttribute('data-charts', 'drawn');
})();
`;
