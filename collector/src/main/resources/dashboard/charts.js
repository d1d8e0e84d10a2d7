// Hand-drawn SVG charts: no library, nothing fetched. Every function returns an SVG string built from
// numbers only (labels pass through esc), so no data can inject markup.
'use strict';
const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const esc = s => String(s).replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
  const finite = v => typeof v === 'number' && isFinite(v);

  /** A small line of values (nulls are gaps); width x height pixels. */
  function sparkline(values, width = 120, height = 26) {
    const vs = values.filter(finite);
    if (!vs.length) return `<svg class="spark" width="${width}" height="${height}" xmlns="${NS}"></svg>`;
    const max = Math.max(...vs), min = Math.min(0, ...vs);
    const x = i => (i / Math.max(1, values.length - 1)) * (width - 2) + 1;
    const y = v => height - 2 - ((v - min) / ((max - min) || 1)) * (height - 4);
    let d = '', pen = false;
    values.forEach((v, i) => {
      if (!finite(v)) { pen = false; return; }
      d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ',' + y(v).toFixed(1);
      pen = true;
    });
    return `<svg class="spark" width="${width}" height="${height}" xmlns="${NS}"><path class="line" d="${d}"/></svg>`;
  }

  function niceTicks(min, max, n) {
    if (max <= min) max = min + 1;
    const raw = (max - min) / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw);
    const out = [];
    for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) out.push(t);
    return out;
  }

  /**
   * A time series: points [{t: epochMillis, v}] drawn with y from 0; fmt formats y labels.
   */
  function line(points, fmt, opts = {}) {
    const W = opts.width || 560, H = opts.height || 180, L = 58, R = 10, T = 10, B = 22;
    const vs = points.map(p => p.v).filter(finite);
    if (!points.length || !vs.length) return `<p class="muted">No data in this range.</p>`;
    const t0 = points[0].t, t1 = points[points.length - 1].t || t0 + 1;
    const ymax = Math.max(...vs) * 1.1 || 1;
    const x = t => L + ((t - t0) / ((t1 - t0) || 1)) * (W - L - R);
    const y = v => T + (1 - v / ymax) * (H - T - B);
    let d = '', pen = false;
    for (const p of points) {
      if (!finite(p.v)) { pen = false; continue; }
      d += (pen ? 'L' : 'M') + x(p.t).toFixed(1) + ',' + y(p.v).toFixed(1);
      pen = true;
    }
    const yt = niceTicks(0, ymax, 4).map(v =>
      `<line class="axis" x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}"/><text x="${L - 4}" y="${y(v) + 3}" text-anchor="end">${esc(fmt(v))}</text>`).join('');
    const xt = [0, 0.5, 1].map(f => {
      const t = t0 + f * (t1 - t0);
      return `<text x="${x(t)}" y="${H - 6}" text-anchor="${f === 0 ? 'start' : f === 1 ? 'end' : 'middle'}">${esc(timeLabel(t, t1 - t0))}</text>`;
    }).join('');
    return `<svg viewBox="0 0 ${W} ${H}" width="100%" preserveAspectRatio="xMidYMid meet" xmlns="${NS}" role="img" aria-label="${esc(opts.label || 'chart')}">${yt}${xt}<path class="line" d="${d}"/></svg>`;
  }

  function timeLabel(t, span) {
    const d = new Date(t);
    const hm = d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
    return span > 36 * 3600e3 ? d.toLocaleDateString([], {month: 'short', day: 'numeric'}) + ' ' + hm : hm;
  }

  /**
   * The latency distribution from sketch buckets [{lower, upper, count}] on a log axis; marks at the
   * given quantile values {label: seconds}.
   */
  function histogram(buckets, marks, fmt) {
    const W = 560, H = 180, L = 44, R = 10, T = 14, B = 22;
    const bs = buckets.filter(b => b.count > 0 && b.upper > 0);
    if (!bs.length) return `<p class="muted">No data in this range.</p>`;
    const lo = Math.log10(Math.max(1e-9, Math.min(...bs.map(b => b.lower > 0 ? b.lower : b.upper / 2))));
    const hi = Math.log10(Math.max(...bs.map(b => b.upper)));
    const x = v => L + ((Math.log10(Math.max(v, 1e-9)) - lo) / ((hi - lo) || 1)) * (W - L - R);
    // density per log-width, so narrow and wide buckets compare fairly
    const dens = bs.map(b => b.count / Math.max(1e-12, Math.log10(b.upper) - Math.log10(b.lower > 0 ? b.lower : b.upper / 2)));
    const dmax = Math.max(...dens);
    const bars = bs.map((b, i) => {
      const x0 = x(b.lower > 0 ? b.lower : b.upper / 2), x1 = x(b.upper), h = (dens[i] / dmax) * (H - T - B);
      return `<rect class="bar" x="${x0.toFixed(1)}" y="${(H - B - h).toFixed(1)}" width="${Math.max(1, x1 - x0 - 0.5).toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(fmt(b.lower))} – ${esc(fmt(b.upper))}: ${b.count}</title></rect>`;
    }).join('');
    const ticks = [];
    for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) ticks.push(Math.pow(10, e));
    const xt = ticks.map(v => `<line class="axis" x1="${x(v)}" x2="${x(v)}" y1="${T}" y2="${H - B}"/><text x="${x(v)}" y="${H - 6}" text-anchor="middle">${esc(fmt(v))}</text>`).join('');
    const mk = Object.entries(marks || {}).filter(([, v]) => finite(v)).map(([k, v]) =>
      `<line class="mark" x1="${x(v)}" x2="${x(v)}" y1="${T}" y2="${H - B}"/><text x="${x(v) > W - 40 ? x(v) - 2 : x(v) + 2}" y="${T - 3}" text-anchor="${x(v) > W - 40 ? 'end' : 'start'}">${esc(k)}</text>`).join('');
    return `<svg viewBox="0 0 ${W} ${H}" width="100%" xmlns="${NS}" role="img" aria-label="latency distribution">${xt}${bars}${mk}</svg>`;
  }

  return {sparkline, line, histogram, esc};
})();
