'use strict';
// The watching views: sessions (with stop), the request log (a 424 shows the agent's last
// lines), traces (list, waterfall, span attributes, the session's logs) and metrics. Each
// redraws on the feed's events; nothing here polls the emulator.
(() => {
  const { h, $ } = AC;

  // ---- sessions
  let listedAt = performance.now();
  function drawSessions() {
    listedAt = performance.now();
    const body = $('sessions-table').tBodies[0];
    $('sessions-empty').hidden = AC.sessions.length > 0;
    body.replaceChildren(...AC.sessions.map((s) => {
      const inst = s.instance ? Object.entries(s.instance).filter(([k]) => k !== 'uptime_seconds').map(([k, v]) => `${k}=${v}`).join(' ') : '';
      const stop = h('button', { type: 'button', class: 'stop', onclick: () => stopSession(s, stop) }, 'Stop');
      if (s.state === 'stopping' || s.state === 'starting') stop.disabled = true;
      return h('tr', { dataset: { session: s.id } },
        h('td', { class: 'mono', title: s.id }, s.id),
        h('td', {}, s.agent),
        h('td', {}, h('span', { class: `state ${s.state}` }, s.state)),
        h('td', { class: 'age', dataset: { base: s.age_seconds ?? '' } }, s.age_seconds === undefined ? '–' : AC.dur(s.age_seconds)),
        h('td', { class: 'idle', dataset: { base: s.in_flight ? '' : (s.idle_seconds ?? '') } }, s.idle_seconds === undefined ? '–' : AC.dur(s.idle_seconds)),
        h('td', { class: 'inflight' }, String(s.in_flight ?? 0)),
        h('td', { class: 'mono muted' }, inst),
        h('td', {}, stop));
    }));
  }

  // Age and idle time move on between feed events; they are counted here from the list's time.
  function tick() {
    const gone = (performance.now() - listedAt) / 1000;
    for (const td of document.querySelectorAll('#sessions-table td.age, #sessions-table td.idle')) {
      if (td.dataset.base !== '') td.textContent = AC.dur(Number(td.dataset.base) + gone);
    }
  }

  async function stopSession(s, button) {
    button.disabled = true;
    // The listing names the endpoint and the session id apart: an id may hold a "/" itself.
    const [endpoint, id] = [s.endpoint, s.session_id];
    const r = await fetch(`/runtimes/${encodeURIComponent(s.agent)}/stopruntimesession?qualifier=${encodeURIComponent(endpoint)}`, {
      method: 'POST',
      headers: { ...AC.chat.extraHeaders(), 'content-type': 'application/json', [AC.chat.SESSION]: id },
      body: '{}',
    }).catch((e) => ({ ok: false, status: 0, text: async () => e.message }));
    if (r.ok) AC.toast(`session ${AC.short(id)} stopped`);
    else { AC.toast(`stop failed (${r.status}): ${await r.text()}`, true); button.disabled = false; }
  }

  // ---- requests
  function requestRow(r) {
    const throttled = r.status === 429;
    const cls = r.status >= 500 ? 'bad' : r.status >= 400 ? (throttled ? 'warn' : 'bad') : 'ok';
    const trace = r.trace_id ? h('a', { href: '#traces', class: 'mono', onclick: () => AC.openTrace(r.trace_id) }, AC.short(r.trace_id)) : '';
    const row = h('tr', { class: `req ${cls}`, dataset: { status: r.status, session: r.session || '' } },
      h('td', { class: 'mono' }, AC.clock(r.ts)),
      h('td', {}, `${r.method} ${r.path}`),
      h('td', {}, r.agent),
      h('td', { class: 'mono', title: r.session }, AC.short(r.session)),
      h('td', {}, h('span', { class: `status ${cls}` }, String(r.status)), throttled ? h('span', { class: 'chip warn' }, 'throttled') : '', r.note ? h('span', { class: 'muted' }, ` ${r.note}`) : ''),
      h('td', {}, AC.ms(r.ttfb_ms)), h('td', {}, AC.ms(r.total_ms)), h('td', {}, AC.bytes(r.bytes)), h('td', {}, trace));
    if (r.status !== 424) return [row];
    const pre = h('pre', { class: 'lines' });
    const draw = () => {
      const lines = AC.lines.get(r.session) || [];
      pre.textContent = lines.length ? lines.slice(-20).map(AC.lineText).join('\n') : '(no lines from the agent for this session)';
    };
    draw();
    linesRows = linesRows.filter((l) => l.pre.isConnected);
    linesRows.push({ session: r.session, draw, pre });
    AC.seedLines(r.session).catch(() => {});
    return [row, h('tr', { class: 'agent-lines' }, h('td', { colspan: 9 }, h('div', { class: 'caption' }, "the agent's last lines"), pre))];
  }
  let linesRows = [];

  function addRequestRow(r) {
    const body = $('requests-table').tBodies[0];
    body.prepend(...requestRow(r));
    while (body.rows.length > 600) body.deleteRow(-1);
    $('requests-empty').hidden = true;
  }

  // ---- traces
  let current = null;
  const drawTraceList = AC.later(async () => {
    const { traces } = await AC.getJson('/_agentcore/traces?limit=100').catch(() => ({ traces: [] }));
    $('n-traces').textContent = traces.length;
    $('trace-list').replaceChildren(...traces.map((t) => h('button', {
      type: 'button', class: `trace${t.trace_id === current ? ' on' : ''}${t.error ? ' bad' : ''}`, dataset: { trace: t.trace_id },
      onclick: () => AC.openTrace(t.trace_id),
    }, h('b', {}, t.root || '(no root)'), h('span', { class: 'mono muted' }, ` ${AC.short(t.trace_id)}`),
      h('div', { class: 'muted' }, `${t.agent || ''} · ${t.spans} spans · ${AC.ms(t.duration_ms)} · ${AC.clock(t.start_unix_nano / 1e9)}`))));
  }, 300);

  // `refresh`: the same trace again, with the span that was picked still picked.
  AC.openTrace = async (id, refresh) => {
    const picked = refresh ? $('trace-view').querySelector('.span.on')?.dataset.span : null;
    current = id;
    if (!refresh) AC.showTab('traces');
    drawTraceList();
    const view = $('trace-view');
    let tree;
    try { tree = await AC.getJson(`/_agentcore/traces/${encodeURIComponent(id)}`); } catch (e) { if (id === current) view.replaceChildren(h('p', { class: 'bad' }, e.message)); return; }
    if (id !== current) return; // another trace was picked meanwhile
    const start = tree.start_unix_nano;
    const total = Math.max(tree.duration_ms, 0.001);
    const rows = [];
    const attrs = h('div', { id: 'span-attrs' }, h('p', { class: 'muted' }, 'Click a span for its attributes.'));
    const walk = (s, depth) => {
      const left = ((s.start_unix_nano - start) / 1e6 / total) * 100;
      const width = Math.max((s.duration_ms / total) * 100, 0.5);
      const bar = h('div', { class: `bar${s.status === 'ERROR' ? ' bad' : ''}`, style: { marginLeft: `${left.toFixed(2)}%`, width: `${width.toFixed(2)}%` } });
      const row = h('div', { class: 'span', dataset: { span: s.span_id, name: s.name } },
        h('div', { class: 'name', style: { paddingLeft: `${depth * 14}px` }, title: s.service }, s.name),
        h('div', { class: 'track' }, bar), h('div', { class: 'dur' }, AC.ms(s.duration_ms)));
      row.addEventListener('click', () => {
        for (const r of view.querySelectorAll('.span.on')) r.classList.remove('on');
        row.classList.add('on');
        attrs.replaceChildren(h('h3', {}, s.name, h('span', { class: 'muted' }, ` ${s.kind} · ${s.service} · ${s.status}${s.status_message ? `: ${s.status_message}` : ''}`)),
          h('table', { class: 'attrs' }, Object.entries(s.attributes || {}).map(([k, v]) => h('tr', {}, h('td', { class: 'mono' }, k), h('td', {}, typeof v === 'string' ? v : JSON.stringify(v))))));
      });
      rows.push(row);
      (s.children || []).forEach((c) => walk(c, depth + 1));
    };
    tree.spans.forEach((s) => walk(s, 0));
    if (picked) rows.find((r) => r.dataset.span === picked)?.click();
    const logs = h('pre', { class: 'lines' }, 'loading…');
    view.replaceChildren(h('h2', {}, tree.root || 'trace', h('span', { class: 'mono muted' }, ` ${id}`)),
      h('p', { class: 'muted' }, `${tree.agent || ''} · session ${tree.session_id || '–'} · ${AC.ms(tree.duration_ms)}`),
      h('div', { class: 'waterfall' }, rows), attrs, h('h3', {}, "The session's logs"), logs);
    const q = tree.session_id ? `session=${encodeURIComponent(tree.session_id)}` : `trace=${encodeURIComponent(id)}`;
    const { logs: recs } = await AC.getJson(`/_agentcore/logs?${q}&limit=200`).catch(() => ({ logs: [] }));
    if (id !== current) return;
    logs.textContent = recs.length ? recs.map((r) => `${new Date(r.time_unix_nano / 1e6).toLocaleTimeString([], { hour12: false })} ${r.level.padEnd(5)} ${AC.lineText({ line: r.body })}`).join('\n') : '(no log records)';
  };

  // ---- metrics
  function parseProm(text) {
    const out = [];
    for (const line of text.split('\n')) {
      const m = /^([a-z_:]+)(\{([^}]*)\})? ([^ ]+)/.exec(line);
      if (!m) continue;
      const labels = {};
      for (const [, k, v] of (m[3] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
      out.push({ name: m[1], labels, value: Number(m[4]) });
    }
    return out;
  }

  const drawMetrics = AC.later(async () => {
    const r = await fetch('/metrics').catch(() => null);
    if (!r || !r.ok) return;
    const samples = parseProm(await r.text());
    const sum = (n) => samples.filter((s) => s.name === n).reduce((a, s) => a + s.value, 0);
    AC.metricsTotal = sum('agentcore_requests_total');
    const cards = [['requests', AC.metricsTotal], ['throttled', sum('agentcore_throttled_total')], ['active sessions', sum('agentcore_active_sessions')],
      ['instances started', sum('agentcore_agent_instances_started_total')], ['restarts', sum('agentcore_agent_restarts_total')], ['traces stored', sum('agentcore_traces_stored')]];
    $('cards').replaceChildren(...cards.map(([k, v]) => h('div', { class: 'card' }, h('b', {}, String(v)), h('span', {}, k))));
    const lat = new Map();
    for (const s of samples.filter((x) => x.name === 'agentcore_agent_latency_seconds')) {
      const row = lat.get(s.labels.agent) || {};
      row[s.labels.quantile] = s.value * 1000;
      lat.set(s.labels.agent, row);
    }
    for (const s of samples.filter((x) => x.name === 'agentcore_agent_latency_seconds_count')) (lat.get(s.labels.agent) || {}).count = s.value;
    $('latency-table').tBodies[0].replaceChildren(...[...lat].map(([a, q]) => h('tr', {}, h('td', {}, a), h('td', {}, AC.ms(q['0.5'])), h('td', {}, AC.ms(q['0.9'])), h('td', {}, AC.ms(q['0.99'])), h('td', {}, String(q.count ?? '')))));
    AC.glance();
  }, 1000);

  function drawChart() {
    const svg = $('chart');
    const n = 60;
    const cut = Date.now() / 1000 - n * 5;
    const counts = new Array(n).fill(0);
    const lats = Array.from({ length: n }, () => []);
    for (const r of AC.requests) {
      if (r.ts < cut) continue;
      const i = Math.min(n - 1, Math.floor((r.ts - cut) / 5));
      counts[i]++;
      lats[i].push(r.total_ms);
    }
    const med = lats.map((l) => (l.length ? l.sort((a, b) => a - b)[Math.floor(l.length / 2)] : null));
    const maxC = Math.max(1, ...counts);
    const maxL = Math.max(1, ...med.filter((x) => x !== null));
    const kids = counts.map((c, i) => AC.svg('rect', { x: 40 + i * 11, y: 160 - (c / maxC) * 140, width: 9, height: (c / maxC) * 140, class: 'bar' }));
    const pts = med.map((m, i) => (m === null ? null : `${45 + i * 11},${160 - (m / maxL) * 140}`)).filter(Boolean);
    if (pts.length > 1) kids.push(AC.svg('polyline', { points: pts.join(' '), class: 'line' }));
    const label = (x, y, text, cls) => { const t = AC.svg('text', { x, y, class: cls || 'axis' }); t.textContent = text; return t; };
    kids.push(label(2, 24, `${maxC}/5s`), label(2, 172, '0'), label(600, 14, `median ≤ ${AC.ms(maxL)}`, 'axis line-label'), label(40, 176, '5 min ago'), label(660, 176, 'now'));
    svg.replaceChildren(...kids);
  }
  const chartSoon = AC.later(drawChart, 500);

  AC.views.push({
    init() {
      AC.listen('sessions', drawSessions);
      setInterval(tick, 1000);
      AC.listen('reset', () => { $('requests-table').tBodies[0].replaceChildren(); linesRows = []; });
      AC.listen('request', addRequestRow);
      AC.listen('lines', (m) => linesRows.filter((l) => l.session === m.session).forEach((l) => l.draw()));
      AC.listen('trace', drawTraceList);
      // Spans of the open trace keep arriving (an agent's exporter batches them).
      const reopen = AC.later(() => current && AC.openTrace(current, true), 300);
      AC.listen('trace', (m) => { if (m.trace_id === current) reopen(); });
      AC.listen('resync', () => { drawTraceList(); drawMetrics(); drawChart(); });
      AC.listen('request', drawMetrics);
      AC.listen('request', chartSoon);
      AC.listen('tab', (t) => { if (t.name === 'metrics') { drawChart(); drawMetrics(); } });
    },
  });
})();
