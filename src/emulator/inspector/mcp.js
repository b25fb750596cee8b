'use strict';
// MCP agents in the chat view: a Streamable HTTP client over the data plane (initialize,
// tools/list, tools/call), the tools with their input schemas, and a form per tool built from
// its schema. Sessions are the emulator's Mcp-Session-Id, as for any MCP client.
(() => {
  const { h, $ } = AC;
  const PROTOCOL = '2025-06-18';

  async function rpc(method, params, notification) {
    const c = AC.chat;
    const body = { jsonrpc: '2.0', method, params };
    if (!notification) body.id = c.mcp.next++;
    const more = { 'mcp-protocol-version': PROTOCOL };
    if (c.mcp.id) more['mcp-session-id'] = c.mcp.id;
    const r = await fetch(c.invokeUrl(), { method: 'POST', headers: c.headers('application/json, text/event-stream', more), body: JSON.stringify(body) });
    const sid = r.headers.get('mcp-session-id');
    if (sid) c.mcp.id = sid;
    if (notification) return null;
    const type = r.headers.get('content-type') || '';
    const text = await r.text();
    let answer = null;
    if (type.includes('text/event-stream')) {
      for (const block of text.split(/\r?\n\r?\n/)) {
        const data = block.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (!data) continue;
        try { const v = JSON.parse(data); if (v.id === body.id) answer = v; } catch { /* not ours */ }
      }
    } else {
      try { answer = JSON.parse(text); } catch { /* below */ }
    }
    if (!answer) throw Object.assign(new Error(`HTTP ${r.status}: ${text.slice(0, 300)}`), { status: r.status });
    if (answer.error) throw Object.assign(new Error(`${answer.error.code}: ${answer.error.message}`), { status: r.status, rpc: answer.error });
    return { result: answer.result, raw: text, status: r.status, bytes: new TextEncoder().encode(text).length };
  }

  async function connect(retried) {
    const c = AC.chat;
    const key = `${c.chosen.agent}|${c.chosen.session}`;
    if (c.mcp.key !== key) { c.mcp.id = null; c.mcp.key = key; }
    $('tools').replaceChildren(h('p', { class: 'muted' }, 'connecting…'));
    try {
      if (!c.mcp.id) {
        await rpc('initialize', { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'agentcore-inspector', version: '1' } });
        await rpc('notifications/initialized', {}, true);
      }
      let listed;
      try {
        listed = await rpc('tools/list', {});
      } catch (e) {
        if (e.status !== 404 || retried === true) throw e;
        c.mcp.id = null; // the session ended: start over, once
        return connect(true);
      }
      render(listed.result.tools || []);
    } catch (e) {
      $('tools').replaceChildren(h('p', { class: 'bad' }, e.message));
    }
  }
  AC.mcpConnect = connect;

  // One input per schema property; anything but a scalar is typed as JSON.
  function field(name, schema, required) {
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    const id = `arg-${name}`;
    let input;
    if (type === 'boolean') input = h('input', { type: 'checkbox', name, id });
    else if (type === 'number' || type === 'integer') input = h('input', { type: 'number', step: type === 'integer' ? '1' : 'any', name, id, required });
    else if (type === 'string' && !schema.enum) input = h('input', { type: 'text', name, id, required, placeholder: schema.description || '' });
    else if (schema.enum) input = h('select', { name, id }, required ? null : h('option', { value: '' }, '(none)'), schema.enum.map((v) => h('option', { value: JSON.stringify(v) }, String(v))));
    else input = h('textarea', { name, id, rows: 2, placeholder: 'JSON', dataset: { json: '1' } });
    input.dataset.type = type || 'json';
    return h('label', { class: 'arg' }, h('span', {}, name, required ? h('b', { class: 'req' }, '*') : '', h('i', { class: 'muted' }, ` ${type || 'json'}`)), input);
  }

  // Read from the fields' box, not the form: a schema may name a property `querySelectorAll`,
  // and a form exposes its fields by name over its own methods.
  function argsOf(box) {
    const args = {};
    for (const el of box.querySelectorAll('[name]')) {
      const t = el.dataset.type;
      if (t === 'boolean') { args[el.name] = el.checked; continue; }
      if (el.value === '') continue;
      if (t === 'number' || t === 'integer') args[el.name] = Number(el.value);
      else if (el.tagName === 'SELECT' || el.dataset.json) args[el.name] = JSON.parse(el.value);
      else args[el.name] = el.value;
    }
    return args;
  }

  function render(tools) {
    if (!tools.length) return $('tools').replaceChildren(h('p', { class: 'muted' }, 'This server lists no tools.'));
    $('tools').replaceChildren(...tools.map((tool) => {
      const schema = tool.inputSchema || {};
      const req = new Set(schema.required || []);
      const box = h('div', { class: 'tool-form' }, Object.entries(schema.properties || {}).map(([n, s]) => field(n, s, req.has(n))));
      // The listener is added before the fields exist (h sets attributes first).
      const form = h('form', { class: 'tool-form', dataset: { tool: tool.name }, onsubmit: (e) => { e.preventDefault(); call(tool.name, box); } },
        box, h('button', { type: 'submit' }, `Call ${tool.name}`));
      return h('div', { class: 'tool', dataset: { tool: tool.name } },
        h('h3', {}, tool.name), h('p', {}, tool.description || ''),
        h('details', {}, h('summary', {}, 'input schema'), h('pre', {}, JSON.stringify(schema, null, 2))),
        form);
    }));
  }

  async function call(name, form) {
    let args;
    try { args = argsOf(form); } catch (e) { return AC.toast(`an argument is not JSON: ${e.message}`, true); }
    const t = AC.chat.turn(`${name} ${JSON.stringify(args)}`);
    try {
      const r = await rpc('tools/call', { name, arguments: args });
      t.firstByte();
      t.bytes = r.bytes;
      t.raw(r.raw);
      const text = (r.result.content || []).map((c) => (c.type === 'text' ? c.text : JSON.stringify(c))).join('\n');
      t.text(text || JSON.stringify(r.result.structuredContent ?? r.result, null, 2));
      if (r.result.isError) t.answer.classList.add('bad');
      t.done(r.status);
    } catch (e) {
      t.fail(e.status || 0, 'MCP', e.message);
    }
  }

  AC.views.push({ init() { $('mcp-list').addEventListener('click', connect); } });
})();
