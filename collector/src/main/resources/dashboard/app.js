// The dashboard: a hash-routed single page over the collector's JSON API. No build step, no library.
'use strict';
(() => {
  const esc = Charts.esc;
  const view = document.getElementById('view');
  const rangeSel = document.getElementById('range');
  const SERVER = 'http.server.request.duration';
  const DB = 'db.client.operation.duration';
  let cleanup = [];          // what the current page must stop when we navigate away (SSE, timers)
  let generation = 0;        // answers for a page we already left are dropped

  rangeSel.value = localStorage.getItem('sketchtrace.range') || '1h';
  rangeSel.addEventListener('change', () => { localStorage.setItem('sketchtrace.range', rangeSel.value); route(); });
  window.addEventListener('hashchange', route);

  // ---- formatting
  const finite = v => typeof v === 'number' && isFinite(v);
  function dur(s) {
    if (!finite(s)) return '–';
    const a = Math.abs(s);
    if (a === 0) return '0';
    if (a < 1e-3) return (s * 1e6).toPrecision(3) + ' µs';
    if (a < 1) return (s * 1e3).toPrecision(3) + ' ms';
    if (a < 120) return s.toPrecision(3) + ' s';
    return (s / 60).toPrecision(3) + ' min';
  }
  const rate = r => finite(r) ? (r >= 100 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toPrecision(2)) + '/s' : '–';
  const pct = f => finite(f) ? (100 * f).toFixed(f < 0.001 && f > 0 ? 3 : 1) + ' %' : '–';
  const change = c => c === null || c === undefined ? '–' : (c > 0 ? '+' : '') + (100 * c).toFixed(1) + ' %';
  const count = n => finite(n) ? n.toLocaleString() : '–';
  const when = ms => new Date(ms).toLocaleString();
  const nsDur = ns => dur(ns / 1e9);
  const num = v => finite(v) ? String(v) : '';

  async function api(path, opts) {
    const r = await fetch(path, opts);
    const text = await r.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = {error: text}; }
    if (!r.ok) { const err = new Error((body && body.error) || r.statusText); err.body = body; err.status = r.status; throw err; }
    return body;
  }
  const rangeQ = () => 'from=now-' + rangeSel.value + '&to=now';
  const enc = encodeURIComponent;

  function setNav(name) {
    document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.dataset.nav === name));
  }

  function show(html) { view.innerHTML = html; }
  function failed(e) { show(`<div class="card error">Could not load: ${esc(e.message)}</div>`); }

  /** Makes a table sortable by its th[data-sort] headers; rows carry data-<key> values. */
  function sortable(table, initial) {
    const heads = table.querySelectorAll('th[data-sort]');
    const sortBy = (key, asc) => {
      const body = table.tBodies[0];
      const rows = [...body.rows];
      rows.sort((a, b) => {
        const x = a.dataset[key], y = b.dataset[key];
        const nx = parseFloat(x), ny = parseFloat(y);
        const c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
        return asc ? c : -c;
      });
      rows.forEach(r => body.appendChild(r));
      heads.forEach(h => { h.classList.toggle('sorted', h.dataset.sort === key); h.classList.toggle('asc', h.dataset.sort === key && asc); });
    };
    heads.forEach(h => h.addEventListener('click', () => {
      const asc = h.classList.contains('sorted') ? !h.classList.contains('asc') : false;
      sortBy(h.dataset.sort, asc);
    }));
    if (initial) sortBy(initial, false);
  }

  // ---- router
  function route() {
    cleanup.forEach(f => f());
    cleanup = [];
    generation++;
    const hash = location.hash.replace(/^#/, '') || '/';
    const [path, query] = hash.split('?');
    const params = new URLSearchParams(query || '');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const page = parts[0] || 'overview';
    setNav({service: 'overview', db: 'overview', trace: 'traces'}[page] || page);
    const g = generation;
    const guard = p => p.catch(e => { if (g === generation) failed(e); });
    switch (page) {
      case 'overview': return guard(overview(g));
      case 'service': return guard(service(parts[1], params, g));
      case 'db': return guard(database(parts[1], g));
      case 'traces': return guard(traces(params, g));
      case 'trace': return guard(trace(parts[1], params, g));
      case 'drift': return guard(drift(params, g));
      case 'alerts': return guard(alerts(g));
      default: show('<p>Unknown page.</p>');
    }
  }

  // ---- overview
  async function overview(g) {
    show(`<h1>Services <span id="live" class="live">connecting…</span></h1>
      <div class="card scroll"><table id="services-table">
      <thead><tr><th data-sort="service">Service</th><th class="num" data-sort="rate">Rate</th><th class="num" data-sort="errors">Errors</th>
      <th class="num" data-sort="p50">p50</th><th class="num" data-sort="p99">p99</th><th class="hide-narrow">p99, last 15 min</th><th class="hide-narrow">rate, last 15 min</th></tr></thead>
      <tbody></tbody></table><p class="muted" id="overview-note"></p></div>`);
    const render = data => {
      if (g !== generation) return;
      const body = document.querySelector('#services-table tbody');
      body.innerHTML = data.services.map(s => `<tr class="clickable" data-service="${esc(s.service)}" data-rate="${num(s.rate)}" data-errors="${num(s.errorRate)}" data-p50="${num(s.p50)}" data-p99="${num(s.p99)}">
        <td><a href="#/service/${enc(s.service)}">${esc(s.service)}</a></td><td class="num rate">${rate(s.rate)}</td><td class="num">${pct(s.errorRate)}</td>
        <td class="num p50">${dur(s.p50)}</td><td class="num p99">${dur(s.p99)}</td>
        <td class="hide-narrow">${Charts.sparkline(s.sparkP99)}</td><td class="hide-narrow">${Charts.sparkline(s.sparkRate)}</td></tr>`).join('')
        || `<tr><td colspan="7" class="muted">No service has sent data yet. Point an agent or an OpenTelemetry SDK at this collector's OTLP port.</td></tr>`;
      body.querySelectorAll('tr[data-service]').forEach(tr => tr.addEventListener('click', e => {
        if (e.target.tagName !== 'A') location.hash = '#/service/' + enc(tr.dataset.service);
      }));
      document.getElementById('overview-note').textContent =
        `Rate, errors and percentiles over the last ${data.window}; updated ${new Date(data.at).toLocaleTimeString()}.`;
    };
    render(await api('/api/v1/overview'));
    if (window.EventSource) {
      const es = new EventSource('/api/v1/live');
      const live = document.getElementById('live');
      es.addEventListener('overview', ev => { live.textContent = 'live'; live.classList.add('on'); render(JSON.parse(ev.data)); });
      es.onerror = () => { live.textContent = 'reconnecting…'; live.classList.remove('on'); };
      cleanup.push(() => es.close());
    }
  }

  // ---- service
  async function service(name, params, g) {
    const selected = params.get('route');
    show(`<h1>${esc(name)}</h1>
      <p><a href="#/db/${enc(name)}">Database</a> · <a href="#/traces?service=${enc(name)}">Traces</a></p>
      <div class="grid">
        <div class="card"><h2>p99 latency <span class="muted" id="tier"></span></h2><div id="p99-chart">…</div></div>
        <div class="card"><h2>Request rate</h2><div id="rate-chart">…</div></div>
      </div>
      <div class="card"><h2>Latency distribution <span class="muted" id="dist-title"></span></h2><div id="dist">…</div></div>
      <div class="card scroll"><h2>Routes and operations</h2><table id="routes-table"><thead><tr>
        <th data-sort="operation">Operation</th><th class="num" data-sort="count">Count</th><th class="num" data-sort="rate">Rate</th>
        <th class="num" data-sort="errors">Errors</th><th class="num" data-sort="p50">p50</th><th class="num" data-sort="p90">p90</th>
        <th class="num" data-sort="p95">p95</th><th class="num" data-sort="p99">p99</th><th class="num" data-sort="max">max</th><th class="num" data-sort="total">Total time</th><th>Traces</th></tr></thead><tbody></tbody></table></div>`);
    const q = rangeQ();
    const [ops, p99, rt] = await Promise.all([
      api(`/api/v1/services/${enc(name)}/operations?metric=${enc(SERVER)}&${q}`),
      api(`/api/v1/timeseries?service=${enc(name)}&metric=${enc(SERVER)}&stat=p99&${q}`),
      api(`/api/v1/timeseries?service=${enc(name)}&metric=${enc(SERVER)}&stat=rate&${q}`)]);
    if (g !== generation) return;
    const pts = ts => ts.points.map(p => ({t: p.epochSecond * 1000, v: p.value === null ? NaN : p.value}));
    document.getElementById('p99-chart').innerHTML = Charts.line(pts(p99), dur, {label: 'p99 over time'});
    document.getElementById('rate-chart').innerHTML = Charts.line(pts(rt), rate, {label: 'rate over time'});
    document.getElementById('tier').textContent = `(${p99.tier} tier, ${p99.stepSeconds} s steps)`;
    const body = document.querySelector('#routes-table tbody');
    body.innerHTML = ops.operations.map(o => {
      const route = (o.attributes && o.attributes['http.route']) || '';
      const errShare = o.count ? o.errors / o.count : NaN;
      return `<tr class="clickable${o.operation === selected ? ' selected' : ''}" data-route="${esc(o.operation)}" data-operation="${esc(o.operation)}" data-count="${o.count}" data-rate="${num(o.rate)}"
        data-errors="${num(errShare)}" data-p50="${num(o.p50)}" data-p90="${num(o.p90)}" data-p95="${num(o.p95)}" data-p99="${num(o.p99)}" data-max="${num(o.max)}" data-total="${num(o.sum)}">
        <td>${esc(o.operation)}</td><td class="num">${count(o.count)}</td><td class="num">${rate(o.rate)}</td><td class="num">${pct(errShare)}</td>
        <td class="num">${dur(o.p50)}</td><td class="num">${dur(o.p90)}</td><td class="num">${dur(o.p95)}</td><td class="num p99" data-seconds="${num(o.p99)}">${dur(o.p99)}</td>
        <td class="num">${dur(o.max)}</td><td class="num">${dur(o.sum)}</td>
        <td><a href="#/traces?service=${enc(name)}&route=${enc(route)}">traces</a></td></tr>`;
    }).join('') || `<tr><td colspan="11" class="muted">No requests in this range.</td></tr>`;
    sortable(document.getElementById('routes-table'), 'count');
    const loadDist = async op => {
      const d = await api(`/api/v1/distribution?service=${enc(name)}${op ? '&route=' + enc(op) : ''}&${q}`);
      if (g !== generation) return;
      document.getElementById('dist-title').textContent = `${op || 'all routes'} · ${count(d.count)} requests` +
        (finite(d.relativeError) ? ` · buckets ±${(100 * d.relativeError).toFixed(1)} %` : '');
      document.getElementById('dist').innerHTML = Charts.histogram(d.buckets, {p50: d.p50, p99: d.p99}, dur);
    };
    body.querySelectorAll('tr[data-route]').forEach(tr => tr.addEventListener('click', e => {
      if (e.target.tagName === 'A') return;
      body.querySelectorAll('tr').forEach(r => r.classList.remove('selected'));
      tr.classList.add('selected');
      loadDist(tr.dataset.route);
    }));
    await loadDist(selected);
  }

  // ---- database
  async function database(name, g) {
    show(`<h1>${esc(name)} · database</h1><p><a href="#/service/${enc(name)}">Service</a></p>
      <div class="card" id="distinct">…</div>
      <div class="grid">
        <div class="card scroll"><h2>Top SQL by total time</h2><table id="sql-time-table"><thead><tr><th>Statement</th><th class="num">Total time</th><th>Traces</th></tr></thead><tbody></tbody></table></div>
        <div class="card scroll"><h2>Top SQL by calls</h2><table id="sql-calls-table"><thead><tr><th>Statement</th><th class="num">Calls</th><th>Traces</th></tr></thead><tbody></tbody></table></div>
      </div>
      <div class="card scroll"><h2>Statements (latency per statement)</h2><table id="db-statements-table"><thead><tr>
        <th data-sort="statement">Statement</th><th class="num" data-sort="count">Count</th><th class="num" data-sort="errors">Errors</th>
        <th class="num" data-sort="p50">p50</th><th class="num" data-sort="p99">p99</th><th class="num" data-sort="total">Total time</th><th>Traces</th></tr></thead><tbody></tbody></table></div>
      <div class="card scroll"><h2>Operations (per statement kind and table)</h2><table id="db-ops-table"><thead><tr>
        <th data-sort="operation">Operation</th><th class="num" data-sort="count">Count</th><th class="num" data-sort="rate">Rate</th>
        <th class="num" data-sort="p50">p50</th><th class="num" data-sort="p99">p99</th><th class="num" data-sort="total">Total time</th></tr></thead><tbody></tbody></table></div>
      <p class="muted">Top SQL comes from the agents' heavy-hitter sketches, merged exactly: each figure is an upper bound within the ± shown. Latency percentiles are kept per statement for the agents' top statements (the rest are merged into <code>other</code>) and per operation and table.</p>`);
    const q = rangeQ();
    const [byTime, byCalls, distinct, ops, stmts] = await Promise.all([
      api(`/api/v1/services/${enc(name)}/top-sql?by=time&limit=25&${q}`),
      api(`/api/v1/services/${enc(name)}/top-sql?by=calls&limit=25&${q}`),
      api(`/api/v1/services/${enc(name)}/distinct?${q}`),
      api(`/api/v1/services/${enc(name)}/operations?metric=${enc(DB)}&${q}`),
      api(`/api/v1/services/${enc(name)}/statements?metric=${enc(DB)}&${q}`)]);
    if (g !== generation) return;
    const link = s => `<a href="#/traces?service=${enc(name)}&statement=${enc(s)}">traces</a>`;
    const row = (e, fmt) => `<tr data-statement="${esc(e.key)}"><td class="wrap"><code>${esc(e.key)}</code></td>
      <td class="num">${fmt(e.estimate)}${e.errorBound ? ` <span class="muted">±${fmt(e.errorBound)}</span>` : ''}</td><td>${link(e.key)}</td></tr>`;
    const none = n => `<tr><td colspan="${n}" class="muted">No statements in this range.</td></tr>`;
    document.querySelector('#sql-time-table tbody').innerHTML = byTime.statements.map(e => row(e, nsDur)).join('') || none(3);
    document.querySelector('#sql-calls-table tbody').innerHTML = byCalls.statements.map(e => row(e, count)).join('') || none(3);
    const d = distinct.distinct.filter(x => x.metric === DB);
    document.getElementById('distinct').innerHTML = d.length
      ? d.map(x => `<strong id="distinct-statements">${count(Math.round(x.estimate))}</strong> distinct statements <span class="muted">(HyperLogLog estimate${Object.keys(x.attributes || {}).length ? ', ' + esc(JSON.stringify(x.attributes)) : ''})</span>`).join('<br>')
      : '<span class="muted">No distinct-statement sketch received (only the Sketchtrace agent sends one).</span>';
    document.querySelector('#db-ops-table tbody').innerHTML = ops.operations.map(o => `<tr data-operation="${esc(o.operation)}" data-count="${o.count}" data-rate="${num(o.rate)}" data-p50="${num(o.p50)}" data-p99="${num(o.p99)}" data-total="${num(o.sum)}">
      <td>${esc(o.operation)}</td><td class="num">${count(o.count)}</td><td class="num">${rate(o.rate)}</td><td class="num">${dur(o.p50)}</td><td class="num">${dur(o.p99)}</td><td class="num">${dur(o.sum)}</td></tr>`).join('') || none(6);
    sortable(document.getElementById('db-ops-table'), 'total');
    document.querySelector('#db-statements-table tbody').innerHTML = stmts.statements.map(o => `<tr data-statement="${esc(o.operation)}" data-count="${o.count}" data-errors="${o.errors}" data-p50="${num(o.p50)}" data-p99="${num(o.p99)}" data-total="${num(o.sum)}">
      <td class="wrap"><code>${esc(o.operation)}</code></td><td class="num">${count(o.count)}</td><td class="num">${count(o.errors)}</td><td class="num">${dur(o.p50)}</td><td class="num">${dur(o.p99)}</td><td class="num">${dur(o.sum)}</td>
      <td>${o.operation === 'other' ? '' : link(o.operation)}</td></tr>`).join('') || none(7);
    sortable(document.getElementById('db-statements-table'), 'total');
  }

  // ---- traces
  async function traces(params, g) {
    const services = (await api('/api/v1/services')).services;
    if (g !== generation) return;
    const v = k => esc(params.get(k) || '');
    const statement = params.get('statement');
    show(`<h1>Traces</h1>
      <form class="inline card" id="trace-form">
        <label>Service<select name="service"><option value="">any</option>${services.map(s => `<option${s === params.get('service') ? ' selected' : ''}>${esc(s)}</option>`).join('')}</select></label>
        <label>Route<input name="route" value="${v('route')}" placeholder="/owners/{id}"></label>
        <label>Min duration (ms)<input name="min" type="number" min="0" value="${v('min')}" style="width:7rem"></label>
        <label><span>Errors only</span><input name="errors" type="checkbox"${params.get('errors') ? ' checked' : ''}></label>
        <button type="submit">Search</button>
      </form>
      ${statement ? `<p class="note">Traces that ran <code>${esc(statement)}</code></p>` : ''}
      <div class="card scroll"><table id="traces-table"><thead><tr><th>Start</th><th>Service</th><th>Span</th><th class="hide-narrow">Route</th><th class="num">Duration</th><th></th></tr></thead><tbody><tr><td colspan="6">…</td></tr></tbody></table></div>`);
    document.getElementById('trace-form').addEventListener('submit', e => {
      e.preventDefault();
      const f = new FormData(e.target), p = new URLSearchParams();
      for (const k of ['service', 'route', 'min']) if (f.get(k)) p.set(k, f.get(k));
      if (f.get('errors')) p.set('errors', '1');
      location.hash = '#/traces?' + p;
    });
    const body = document.querySelector('#traces-table tbody');
    if (statement) {
      const r = await api(`/api/v1/statement-traces?service=${enc(params.get('service') || '')}&statement=${enc(statement)}&${rangeQ()}`);
      if (g !== generation) return;
      body.innerHTML = r.traces.map(t => `<tr class="clickable" data-trace-id="${esc(t.traceId)}"><td>${esc(when(t.startUnixNano / 1e6))}</td><td>${esc(params.get('service'))}</td>
        <td>${esc(t.root)}</td><td class="hide-narrow muted">statement took ${nsDur(t.statementNanos)}</td><td class="num">${nsDur(t.durationNanos)}</td><td></td></tr>`).join('')
        || `<tr><td colspan="6" class="muted">None of the ${r.scanned} most recent traces of this service ran it.</td></tr>`;
    } else {
      const p = new URLSearchParams();
      for (const k of ['service', 'route']) if (params.get(k)) p.set(k, params.get(k));
      if (params.get('min')) p.set('minDurationMs', params.get('min'));
      if (params.get('errors')) p.set('error', 'true');
      p.set('limit', '100');
      const r = await api(`/api/v1/traces?${p}&${rangeQ()}`);
      if (g !== generation) return;
      body.innerHTML = r.traces.map(t => `<tr class="clickable" data-trace-id="${esc(t.traceId)}"><td>${esc(when(t.startUnixNano / 1e6))}</td><td>${esc(t.service)}</td>
        <td>${esc(t.name)}${t.root ? '' : ' <span class="muted">(part)</span>'}</td><td class="hide-narrow">${esc(t.route || '')}</td>
        <td class="num">${nsDur(t.durationNanos)}</td><td>${t.error ? '<span class="badge CRITICAL">error</span>' : ''}</td></tr>`).join('')
        || `<tr><td colspan="6" class="muted">No trace matches.</td></tr>`;
    }
    body.querySelectorAll('tr[data-trace-id]').forEach(tr => tr.addEventListener('click', () => { location.hash = '#/trace/' + tr.dataset.traceId; }));
  }

  async function trace(id, params, g) {
    const [t, ev] = await Promise.all([api(`/api/v1/traces/${enc(id)}`), api(`/api/v1/trace-events/${enc(id)}`)]);
    if (g !== generation) return;
    const events = ev.events || {};
    const spans = t.spans;
    const byId = new Map(spans.map(s => [s.spanId, s]));
    const children = new Map();
    const roots = [];
    for (const s of spans) {
      if (s.parentSpanId && byId.has(s.parentSpanId)) {
        if (!children.has(s.parentSpanId)) children.set(s.parentSpanId, []);
        children.get(s.parentSpanId).push(s);
      } else roots.push(s);
    }
    const ordered = [];
    const walk = (s, depth) => { ordered.push([s, depth]); (children.get(s.spanId) || []).forEach(c => walk(c, depth + 1)); };
    roots.forEach(r => walk(r, 0));
    const t0 = Math.min(...spans.map(s => s.startUnixNano)), t1 = Math.max(...spans.map(s => s.endUnixNano));
    const total = Math.max(1, t1 - t0);
    show(`<h1>Trace <code>${esc(id)}</code></h1><p class="muted">${spans.length} spans · ${nsDur(total)} · started ${esc(when(t0 / 1e6))}</p>
      <div class="card waterfall" id="waterfall">${ordered.map(([s, depth]) => {
        const left = (100 * (s.startUnixNano - t0) / total).toFixed(2), width = (100 * (s.endUnixNano - s.startUnixNano) / total).toFixed(2);
        const err = s.statusCode === 'ERROR' || (events[s.spanId] || []).some(e => e.name === 'exception');
        return `<div class="span-row" data-span-id="${esc(s.spanId)}" data-parent-id="${esc(s.parentSpanId || '')}" data-depth="${depth}" data-kind="${esc(s.kind)}">
          <div class="span-name" style="padding-left:${depth * 1.1}rem" title="${esc(s.name)}">${err ? '<span class="error">!</span> ' : ''}${esc(s.name)} <span class="muted">${esc(s.service)}</span></div>
          <div class="span-track"><div class="span-bar ${esc(s.kind)}${err ? ' err' : ''}" style="left:${left}%;width:${width}%"></div></div>
          <div class="num">${nsDur(s.endUnixNano - s.startUnixNano)}</div></div>`;
      }).join('')}</div>
      <div class="card" id="span-detail"><span class="muted">Select a span to see its attributes.</span></div>`);
    const detail = s => {
      const attrs = Object.entries(s.attributes || {});
      const exc = attrs.filter(([k]) => k.startsWith('exception.'));
      const evs = events[s.spanId] || [];
      document.getElementById('span-detail').innerHTML = `<h2>${esc(s.name)}</h2>
        <table class="kv"><tbody>
        <tr><td>kind</td><td>${esc(s.kind)}</td></tr><tr><td>service</td><td>${esc(s.service)}</td></tr>
        <tr><td>status</td><td>${s.statusCode === 'ERROR' ? '<span class="badge CRITICAL">ERROR</span> ' : esc(s.statusCode)} ${esc(s.statusMessage || '')}</td></tr>
        <tr><td>duration</td><td>${nsDur(s.endUnixNano - s.startUnixNano)}</td></tr>
        ${attrs.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="wrap">${esc(v)}</td></tr>`).join('')}
        </tbody></table>${exc.length ? `<h2>Exception</h2><pre class="error">${esc(exc.map(([k, v]) => k + ': ' + v).join('\n'))}</pre>` : ''}
        ${evs.length ? `<h2>Events</h2>${evs.map(e => `<div class="event${e.name === 'exception' ? ' exception' : ''}"><strong>${esc(e.name)}</strong>
          <span class="muted">+${nsDur(e.timeUnixNano - s.startUnixNano)}</span>
          ${e.name === 'exception' ? `<pre class="error">${esc((e.attributes['exception.type'] || '') + ': ' + (e.attributes['exception.message'] || ''))}${e.attributes['exception.stacktrace'] ? '\n' + esc(e.attributes['exception.stacktrace']) : ''}</pre>` : ''}
          <table class="kv"><tbody>${Object.entries(e.attributes).filter(([k]) => k !== 'exception.stacktrace').map(([k, v]) => `<tr><td>${esc(k)}</td><td class="wrap">${esc(v)}</td></tr>`).join('')}</tbody></table></div>`).join('')}` : ''}`;
    };
    document.querySelectorAll('.span-row').forEach(row => row.addEventListener('click', () => {
      document.querySelectorAll('.span-row').forEach(r => r.classList.remove('selected'));
      row.classList.add('selected');
      detail(byId.get(row.dataset.spanId));
    }));
    const firstError = ordered.find(([s]) => (events[s.spanId] || []).length) || ordered.find(([s]) => s.statusCode === 'ERROR');
    detail((firstError || ordered[0])[0]);
  }

  // ---- drift
  async function drift(params, g) {
    const w = params.get('window') || '5m';
    show(`<h1>What changed</h1>
      <form class="inline"><label>Compare the last<select id="drift-window">${['1m', '5m', '15m', '1h', '6h', '1d'].map(x => `<option${x === w ? ' selected' : ''}>${x}</option>`).join('')}</select></label><span class="muted">with the window before it.</span></form>
      <div id="drift-body"><p>…</p></div>`);
    document.getElementById('drift-window').addEventListener('change', e => { location.hash = '#/drift?window=' + e.target.value; });
    const r = await api(`/api/v1/drift?window=${enc(w)}`);
    if (g !== generation) return;
    const dir = c => c === null ? '' : c > 0 ? 'up' : 'down';
    const cell = (prev, cur, ch, fmt) => `<td class="num">${fmt(prev)} → ${fmt(cur)} <span class="${dir(ch)}">${change(ch)}</span></td>`;
    const rows = items => items.map((i, n) => `<tr data-key="${esc(i.key)}" data-name="${esc(i.name)}" data-score="${num(i.score)}">
      <td class="num">${n + 1}</td><td>${esc(i.kind)}</td><td>${esc(i.service)}</td><td class="wrap">${i.kind === 'route' ? `<a href="#/service/${enc(i.service)}?route=${enc(i.name)}">${esc(i.name)}</a>`
        : i.kind === 'statement' ? `<a href="#/traces?service=${enc(i.service)}&statement=${enc(i.name)}"><code>${esc(i.name)}</code></a>` : esc(i.name)}</td>
      ${cell(i.p50Previous, i.p50Current, i.p50Change, dur)}${cell(i.p99Previous, i.p99Current, i.p99Change, dur)}
      <td class="num"><span class="${dir(i.meanChange)}">${change(i.meanChange)}</span></td>
      ${cell(i.ratePrevious, i.rateCurrent, i.rateChange, rate)}
      <td class="num">${pct(i.errorRatePrevious)} → ${pct(i.errorRateCurrent)}</td>
      <td><span class="badge ${esc(i.verdict)}">${esc(i.verdict.replace('_', ' ').toLowerCase())}</span></td>
      <td class="wrap">${esc(i.reasons.join(', '))}</td>
      <td class="wrap">${i.movedWith.map(esc).join('<br>') || '<span class="muted">–</span>'}</td></tr>`).join('');
    const head = `<thead><tr><th class="num">#</th><th>Kind</th><th>Service</th><th>Name</th><th class="num">p50</th><th class="num">p99</th><th class="num">Mean</th><th class="num">Rate</th><th class="num">Error rate</th><th>Verdict</th><th>Why</th><th>Moved together with</th></tr></thead>`;
    document.getElementById('drift-body').innerHTML = `
      <p class="muted">Previous ${esc(when(r.previousFromMillis))} – ${esc(new Date(r.currentFromMillis).toLocaleTimeString())}, current until ${esc(new Date(r.currentToMillis).toLocaleTimeString())}; ${r.stepMillis / 1000} s steps. Ranked by the largest relative change of p50, p99, rate or error rate; SQL statements (no latency sketch of their own) by calls and mean time per call.</p>
      <div class="card scroll"><h2>Routes, database operations and SQL statements</h2><table id="drift-table">${head}<tbody>${rows(r.items) || '<tr><td colspan="12" class="muted">No data in either window.</td></tr>'}</tbody></table></div>
      <div class="card scroll"><h2>Services as a whole</h2><table id="drift-services">${head}<tbody>${rows(r.services) || '<tr><td colspan="12" class="muted">–</td></tr>'}</tbody></table></div>
      <div class="card"><h2>Moved together</h2><p class="note" id="drift-caveat">${esc(r.caveat)}</p>
      <div class="scroll"><table><thead><tr><th>First</th><th>Second</th><th>Measure</th><th class="num">r</th><th class="num">Steps</th></tr></thead><tbody>
      ${r.coMovements.map(c => `<tr><td>${esc(c.first)}</td><td>${esc(c.second)}</td><td>${esc(c.measure)}</td><td class="num">${c.coefficient.toFixed(2)}</td><td class="num">${c.points}</td></tr>`).join('') || '<tr><td colspan="5" class="muted">No pair moved together.</td></tr>'}
      </tbody></table></div></div>`;
  }

  // ---- alerts
  async function alerts(g) {
    const [a, rules] = await Promise.all([api('/api/v1/alerts'), api('/api/v1/alerts/rules')]);
    if (g !== generation) return;
    const now = a.now;
    show(`<h1>Alerts</h1>${a.loadError ? `<p class="note error">Rule file refused, previous rules kept: ${esc(a.loadError)}</p>` : ''}
      <div class="card scroll"><h2>Rules</h2><table id="rules-table"><thead><tr><th>State</th><th>Rule</th><th>Query</th><th class="num">Value</th><th>Since</th><th class="wrap">Detail</th></tr></thead><tbody>
      ${a.rules.map(s => `<tr data-rule="${esc(s.rule.name)}" data-state="${esc(s.state)}"><td><span class="badge ${esc(s.state)}">${esc(s.state)}</span>${s.pendingStreak ? ` <span class="muted">→ ${esc(s.pendingTarget)} (${s.pendingStreak})</span>` : ''}</td>
        <td>${esc(s.rule.name)} <span class="muted">${esc(s.rule.type)}</span></td>
        <td>${esc(s.rule.signal)} of ${esc(s.rule.service)}${s.rule.route ? ' ' + esc(s.rule.route) : ''} over ${esc(s.rule.window)}</td>
        <td class="num">${finite(s.value) ? esc(s.rule.signal.startsWith('p') ? dur(s.value) : s.value.toPrecision(3)) : '–'}</td>
        <td>${esc(when(s.since))}</td><td class="wrap">${esc(s.detail || '')}</td></tr>`).join('') || '<tr><td colspan="6" class="muted">No rules. Add some below or start the collector with --alert-rules FILE.</td></tr>'}
      </tbody></table></div>
      <div class="card scroll"><h2>Silences</h2>
      <form class="inline" id="silence-form"><label>Label<input name="label" value="service" required></label><label>Value<input name="value" required></label>
        <label>Regex<input name="regex" type="checkbox"></label><label>For<input name="duration" value="1h" style="width:5rem"></label><label>Comment<input name="comment"></label><button>Silence</button></form>
      <p id="silence-error" class="error"></p>
      <table id="silences-table"><thead><tr><th>Matchers</th><th>From</th><th>Until</th><th>Comment</th><th></th></tr></thead><tbody>
      ${a.silences.map(s => `<tr data-silence="${esc(s.id)}"><td>${s.matchers.map(m => esc(m.label + (m.regex ? '=~' : '=') + m.value)).join(', ')}</td><td>${esc(when(s.startsAtMillis))}</td>
        <td>${esc(when(s.endsAtMillis))}${s.endsAtMillis <= now ? ' <span class="muted">(over)</span>' : ''}</td><td>${esc(s.comment)}</td>
        <td>${s.endsAtMillis > now ? `<button class="secondary" data-expire="${esc(s.id)}">End now</button>` : ''}</td></tr>`).join('') || '<tr><td colspan="5" class="muted">None.</td></tr>'}
      </tbody></table></div>
      <div class="card scroll"><h2>History</h2><table id="history-table"><thead><tr><th>When</th><th>Rule</th><th>Change</th><th class="wrap">Detail</th></tr></thead><tbody>
      ${a.history.map(h => `<tr><td>${esc(when(h.atEpochMillis))}</td><td>${esc(h.rule)}</td><td><span class="badge ${esc(h.from)}">${esc(h.from)}</span> → <span class="badge ${esc(h.to)}">${esc(h.to)}</span>${h.silenced ? ' <span class="muted">silenced</span>' : ''}</td><td class="wrap">${esc(h.detail)}</td></tr>`).join('') || '<tr><td colspan="4" class="muted">Nothing yet.</td></tr>'}
      </tbody></table></div>
      <div class="card"><h2>Edit rules</h2><textarea id="rules-json" spellcheck="false">${esc(JSON.stringify(rules, null, 2))}</textarea>
      <p><button id="rules-save">Save rules</button> <span id="rules-result"></span></p><p class="muted">See collector/ALERTS.md for every field. A set that does not validate is refused and the rules in force stay.</p></div>`);
    document.getElementById('rules-save').addEventListener('click', async () => {
      const out = document.getElementById('rules-result');
      try {
        await api('/api/v1/alerts/rules', {method: 'PUT', headers: {'Content-Type': 'application/json'}, body: document.getElementById('rules-json').value});
        route();
      } catch (e) { out.className = 'error'; out.textContent = e.message; }
    });
    document.getElementById('silence-form').addEventListener('submit', async e => {
      e.preventDefault();
      const f = new FormData(e.target);
      try {
        await api('/api/v1/alerts/silences', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({
          matchers: [{label: f.get('label'), value: f.get('value'), regex: !!f.get('regex')}], duration: f.get('duration'), comment: f.get('comment') || ''})});
        route();
      } catch (err) { document.getElementById('silence-error').textContent = err.message; }
    });
    document.querySelectorAll('[data-expire]').forEach(b => b.addEventListener('click', async () => {
      await fetch('/api/v1/alerts/silences/' + enc(b.dataset.expire), {method: 'DELETE'});
      route();
    }));
  }

  route();
})();
