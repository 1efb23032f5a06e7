// SVG line and bar charts for the HTML reports; each chart records how many marks it drew (data-drawn).
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}

function frame(id, xs, series, padded) {
  const div = document.getElementById(id);
  const W = 900, H = 300, L = 60, R = 20, T = 20, B = 40;
  const svg = el('svg', {width: W, height: H}, div);
  const all = series.flatMap(s => s.values).filter(v => v !== null && isFinite(v));
  const lo = Math.min(0, ...all), hi = Math.max(...all, lo + 1e-9);
  // Bars sit in the middle of equal slots; line points run edge to edge.
  const x = padded ? (i => L + (i + 0.5) * (W - L - R) / xs.length)
    : (i => L + (xs.length < 2 ? (W - L - R) / 2 : i * (W - L - R) / (xs.length - 1)));
  const y = v => H - B - (v - lo) / (hi - lo) * (H - T - B);
  el('line', {x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#888'}, svg);
  el('line', {x1: L, y1: T, x2: L, y2: H - B, stroke: '#888'}, svg);
  [lo, (lo + hi) / 2, hi].forEach(v => {
    const t = el('text', {x: L - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11}, svg);
    t.textContent = Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3);
  });
  const step = Math.max(1, Math.ceil(xs.length / 10));
  xs.forEach((label, i) => {
    if (i % step === 0) {
      const t = el('text', {x: x(i), y: H - B + 16, 'text-anchor': 'middle', 'font-size': 11}, svg);
      t.textContent = label;
    }
  });
  const legend = document.createElement('div');
  legend.className = 'legend';
  series.forEach((s, k) => legend.innerHTML += `<span><i style="background:${COLORS[k]}"></i>${s.name}</span>`);
  div.appendChild(legend);
  return {svg, x, y, H, B, slot: (W - L - R) / xs.length};
}

function lines(id, xs, series) {
  const f = frame(id, xs, series);
  let marks = 0;
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => v === null || !isFinite(v) ? null : `${f.x(i)},${f.y(v)}`).filter(p => p);
    if (pts.length === 0) return;
    el('polyline', {points: pts.join(' '), fill: 'none', stroke: COLORS[k], 'stroke-width': 2.5}, f.svg);
    pts.forEach(p => { const [cx, cy] = p.split(','); el('circle', {cx, cy, r: 3, fill: COLORS[k]}, f.svg); });
    marks += pts.length;
  });
  document.getElementById(id).dataset.drawn = marks;
}

function bars(id, xs, series) {
  const f = frame(id, xs.map(String), series, true);
  const width = 0.7 * f.slot / Math.max(1, series.length);
  let marks = 0;
  series.forEach((s, k) => s.values.forEach((v, i) => {
    const x = f.x(i) + (k - series.length / 2) * width;
    el('rect', {x, y: f.y(v), width: width - 2, height: Math.max(1, f.y(0) - f.y(v)), fill: COLORS[k]}, f.svg);
    marks++;
  }));
  document.getElementById(id).dataset.drawn = marks;
}
