'use strict';
// The chat view: pick an agent and a session, then talk to it in its protocol through the
// data plane (POST /runtimes/{agent}/invocations), as an SDK would. HTTP and AG-UI answers
// stream in as they arrive; A2A shows the card and speaks JSON-RPC; MCP lists tools and calls
// them. The token and headers stay in this tab's memory: nothing is stored.
(() => {
  const { h, $ } = AC;
  const SESSION = 'X-Amzn-Bedrock-AgentCore-Runtime-Session-Id';
  const chosen = { agent: null, session: null, fresh: AC.newSessionId() };
  const agui = new Map(); // session -> AG-UI message history
  const mcp = { id: null, next: 1, agent: null, session: null };
  let inflight = null;
  // Failed turns showing an agent's lines, redrawn as lines arrive (one listener for all).
  let lineViews = [];
  const MAX_TURNS = 200;

  const agent = () => AC.agents.find((a) => a.name === chosen.agent);
  const protocol = () => (agent() || {}).protocol || 'HTTP';
  const invokeUrl = (suffix = '') => `/runtimes/${encodeURIComponent(chosen.agent)}/invocations${suffix}?qualifier=DEFAULT`;

  // The custom headers and the bearer token, as typed.
  function extraHeaders() {
    const out = {};
    for (const line of $('headers').value.split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    const token = $('token').value.trim();
    if (token) out.Authorization = token.toLowerCase().startsWith('bearer ') ? token : `Bearer ${token}`;
    return out;
  }

  function headers(accept, more) {
    return { ...extraHeaders(), 'content-type': 'application/json', accept, [SESSION]: chosen.session, ...more };
  }

  // One exchange in the transcript: what was sent, the answer as it streams, how it ended,
  // the raw events, and for a failed agent its last log lines.
  function turn(label) {
    const answer = h('div', { class: 'answer' });
    const meta = h('div', { class: 'meta' }, 'waiting…');
    const rawPre = h('pre');
    const rawSum = h('summary', {}, 'raw events (0)');
    const chips = h('div', { class: 'chips' });
    const lines = h('pre', { class: 'lines', hidden: true });
    const el = h('div', { class: 'turn' }, h('div', { class: 'you' }, label), chips, answer, meta,
      h('details', { class: 'raw' }, rawSum, rawPre), lines);
    $('transcript').append(el);
    while ($('transcript').children.length > MAX_TURNS) $('transcript').firstElementChild.remove();
    el.scrollIntoView({ block: 'end' });
    let raws = 0;
    const t = {
      el, answer, t0: performance.now(), first: null, bytes: 0,
      text(s) { answer.append(s); },
      raw(s) { raws++; rawSum.textContent = `raw events (${raws})`; rawPre.append(`${s}\n`); },
      chip(name, bad) { chips.append(h('span', { class: bad ? 'chip bad' : 'chip' }, name)); },
      firstByte() { if (t.first === null) t.first = performance.now() - t.t0; },
      done(status) {
        meta.textContent = `${status} · first byte ${AC.ms(t.first)} · total ${AC.ms(performance.now() - t.t0)} · ${AC.bytes(t.bytes)}`;
        meta.className = status < 400 ? 'meta ok' : 'meta bad';
      },
      fail(status, kind, message) {
        t.done(status);
        answer.classList.add('bad');
        answer.textContent = [kind, message].filter(Boolean).join(': ');
        if (status === 424) t.showLines(chosen.session);
      },
      showLines(session) {
        const render = () => {
          const got = AC.lines.get(session) || [];
          lines.hidden = false;
          lines.textContent = got.length ? got.slice(-20).map(AC.lineText).join('\n') : '(the agent printed nothing for this session)';
          lines.prepend(h('div', { class: 'caption' }, "the agent's last lines"));
        };
        render();
        lineViews = lineViews.filter((v) => v.el.isConnected);
        lineViews.push({ el, session, render });
        AC.seedLines(session).catch(() => {});
      },
    };
    return t;
  }

  // Reads a streamed body, calling `onEvent` for each SSE data payload, or `onText` for the
  // chunks of anything else. Returns the body's text when it was not an event stream.
  async function read(resp, t, onEvent, onText) {
    const sse = (resp.headers.get('content-type') || '').includes('text/event-stream');
    const reader = resp.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    let whole = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      t.firstByte();
      t.bytes += value.length;
      const chunk = dec.decode(value, { stream: true });
      if (!sse) { whole += chunk; if (onText) onText(chunk); continue; }
      buf += chunk;
      let m;
      while ((m = /\r?\n\r?\n/.exec(buf))) {
        const block = buf.slice(0, m.index);
        buf = buf.slice(m.index + m[0].length);
        const data = block.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
        if (data) onEvent(data);
      }
    }
    return sse ? null : whole;
  }

  async function post(t, body, accept, more) {
    inflight = new AbortController();
    $('cancel').hidden = false;
    try {
      const resp = await fetch(invokeUrl(), { method: 'POST', headers: headers(accept, more), body, signal: inflight.signal });
      if (!resp.ok) {
        const text = await resp.text();
        let msg = text;
        try { msg = JSON.parse(text).message || JSON.parse(text).error?.message || text; } catch { /* not JSON */ }
        t.raw(text);
        t.fail(resp.status, resp.headers.get('x-amzn-errortype'), msg);
        return null;
      }
      return resp;
    } catch (e) {
      t.fail(0, 'network', e.message);
      return null;
    }
  }

  // `status` null: the call failed and its turn already says how.
  function finish(t, status) {
    if (status !== null) t.done(status);
    inflight = null;
    $('cancel').hidden = true;
  }

  // The text an event carries in the shapes agents commonly stream; null for metadata.
  function textOf(v) {
    if (typeof v === 'string') return v;
    if (!v || typeof v !== 'object') return null;
    for (const k of ['text', 'data', 'content', 'delta', 'output']) if (typeof v[k] === 'string') return v[k];
    const d = v.event?.contentBlockDelta?.delta?.text ?? v.contentBlockDelta?.delta?.text;
    return typeof d === 'string' ? d : null;
  }

  async function sendHttp(text) {
    let body;
    if ($('raw-json').checked) {
      try { body = JSON.stringify(JSON.parse(text)); } catch (e) { AC.toast(`not JSON: ${e.message}`, true); return; }
    } else body = JSON.stringify({ prompt: text });
    const t = turn(text);
    const resp = await post(t, body, 'text/event-stream, application/json');
    if (!resp) return finish(t, null);
    const whole = await read(resp, t, (data) => {
      t.raw(data);
      let v = data;
      try { v = JSON.parse(data); } catch { /* plain text event */ }
      const s = textOf(v);
      if (s !== null) t.text(s);
    }, (chunk) => { if (!(resp.headers.get('content-type') || '').includes('json')) t.text(chunk); }).catch((e) => { t.raw(`(stream ended: ${e.message})`); return null; });
    if (whole !== null && (resp.headers.get('content-type') || '').includes('json')) {
      t.raw(whole);
      try { t.text(JSON.stringify(JSON.parse(whole), null, 2)); } catch { t.text(whole); }
    }
    finish(t, resp.status);
  }

  async function sendAgui(text) {
    const history = [...(agui.get(chosen.session) || []), { id: AC.newSessionId(), role: 'user', content: text }];
    const input = { threadId: chosen.session, runId: AC.newSessionId(), state: {}, messages: history, tools: [], context: [], forwardedProps: {} };
    const t = turn(text);
    const resp = await post(t, JSON.stringify(input), 'text/event-stream');
    if (!resp) return finish(t, null); // the failed message is not kept in the conversation
    let reply = '';
    await read(resp, t, (data) => {
      t.raw(data);
      let ev;
      try { ev = JSON.parse(data); } catch { return; }
      if (ev.type === 'TEXT_MESSAGE_CONTENT' && typeof ev.delta === 'string') { reply += ev.delta; t.text(ev.delta); }
      else if (ev.type) t.chip(ev.type, ev.type === 'RUN_ERROR');
      if (ev.type === 'RUN_ERROR') t.text(ev.message || 'run failed');
    }).catch((e) => t.raw(`(stream ended: ${e.message})`));
    history.push({ id: AC.newSessionId(), role: 'assistant', content: reply });
    // Each run sends the whole conversation: keep it to the last 50 messages, 100 sessions.
    agui.delete(chosen.session);
    if (agui.size >= 100) agui.delete(agui.keys().next().value);
    agui.set(chosen.session, history.slice(-50));
    finish(t, resp.status);
  }

  async function sendA2a(text) {
    const msg = { jsonrpc: '2.0', id: Date.now(), method: 'message/send', params: { message: { kind: 'message', role: 'user', messageId: AC.newSessionId(), parts: [{ kind: 'text', text }] } } };
    const t = turn(text);
    const resp = await post(t, JSON.stringify(msg), 'application/json');
    if (!resp) return finish(t, null);
    const whole = await read(resp, t, (d) => t.raw(d)).catch((e) => { t.raw(`(stream ended: ${e.message})`); return null; });
    if (whole !== null) {
      t.raw(whole);
      try {
        const v = JSON.parse(whole);
        if (v.error) { t.answer.classList.add('bad'); t.text(`${v.error.code}: ${v.error.message}`); }
        else t.text(a2aText(v.result) || JSON.stringify(v.result, null, 2));
      } catch { t.text(whole); }
    }
    finish(t, resp.status);
  }

  // Text parts of an A2A Message or Task (its artifacts, else its status message).
  function a2aText(r) {
    if (!r) return '';
    const parts = (list) => (list || []).filter((p) => p.kind === 'text' || typeof p.text === 'string').map((p) => p.text).join('');
    if (r.parts) return parts(r.parts);
    const arts = (r.artifacts || []).map((a) => parts(a.parts)).join('\n');
    return arts || parts(r.status?.message?.parts);
  }

  async function loadCard() {
    const box = $('card');
    box.replaceChildren(h('p', { class: 'muted' }, 'loading…'));
    const r = await fetch(invokeUrl('/.well-known/agent-card.json'), { headers: headers('application/json') });
    if (!r.ok) return box.replaceChildren(h('p', { class: 'bad' }, `HTTP ${r.status}: ${await r.text()}`));
    const c = await r.json();
    box.replaceChildren(
      h('h3', {}, c.name || '(no name)', c.version ? h('span', { class: 'muted' }, ` v${c.version}`) : null),
      h('p', {}, c.description || ''),
      h('p', { class: 'muted' }, c.url || ''),
      h('ul', {}, (c.skills || []).map((s) => h('li', {}, h('b', {}, s.name || s.id), s.description ? ` — ${s.description}` : ''))),
      h('details', {}, h('summary', {}, 'card JSON'), h('pre', {}, JSON.stringify(c, null, 2))));
  }

  AC.chat = { turn, read, post, finish, headers, extraHeaders, chosen, mcp, invokeUrl, SESSION };

  async function send(e) {
    e.preventDefault();
    const text = $('prompt').value.trim();
    if (!text || inflight || !chosen.agent) return;
    $('prompt').value = '';
    const p = protocol();
    if (p === 'AGUI') await sendAgui(text);
    else if (p === 'A2A') await sendA2a(text);
    else await sendHttp(text);
  }

  function fillAgents() {
    const sel = $('agent');
    const names = AC.agents.map((a) => a.name);
    if (sel.options.length !== names.length || [...sel.options].some((o, i) => o.value !== names[i])) {
      sel.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
    }
    if (!names.includes(chosen.agent)) chosen.agent = names[0] || null;
    sel.value = chosen.agent || '';
    const a = agent();
    $('agent-info').textContent = a ? `${a.protocol} · ${a.host}${a.auth === 'jwt' ? ' · JWT' : ''}` : '';
  }

  function fillSessions() {
    const sel = $('session');
    // DEFAULT endpoint sessions only: a named endpoint's are listed as "endpoint/id".
    const mine = AC.sessions.filter((s) => s.agent === chosen.agent && !s.id.includes('/')).map((s) => s.id);
    if (!chosen.session) chosen.session = chosen.fresh;
    const ids = [...new Set([chosen.session, ...mine])];
    sel.replaceChildren(...ids.map((id) => h('option', { value: id }, `${AC.short(id)}${mine.includes(id) ? '' : ' (new)'}`)));
    sel.value = chosen.session;
  }

  function switched() {
    const p = protocol();
    $('mcp').hidden = p !== 'MCP';
    $('a2a').hidden = p !== 'A2A';
    $('side').hidden = p !== 'MCP' && p !== 'A2A';
    $('send-form').hidden = p === 'MCP';
    $('raw-label').hidden = p !== 'HTTP';
    if (p === 'A2A') loadCard().catch((e) => AC.toast(e.message, true));
    if (p === 'MCP' && AC.mcpConnect) AC.mcpConnect();
  }

  AC.views.push({
    init() {
      $('send-form').addEventListener('submit', send);
      $('prompt').addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e); });
      $('cancel').addEventListener('click', () => inflight && inflight.abort());
      $('agent').addEventListener('change', (e) => {
        chosen.agent = e.target.value;
        chosen.fresh = AC.newSessionId();
        chosen.session = chosen.fresh;
        fillAgents(); fillSessions(); switched();
      });
      $('session').addEventListener('change', (e) => { chosen.session = e.target.value; switched(); });
      $('new-session').addEventListener('click', () => {
        chosen.fresh = AC.newSessionId();
        chosen.session = chosen.fresh;
        mcp.id = null;
        fillSessions(); switched();
      });
      AC.listen('lines', (m) => lineViews.forEach((v) => { if (v.session === m.session) v.render(); }));
      let first = true;
      AC.listen('sessions', () => {
        fillAgents(); fillSessions();
        if (first) { first = false; switched(); }
      });
    },
  });
})();
