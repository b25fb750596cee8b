'use strict';
// The Memory view: what agents stored in dev's AgentCore Memory, read through the same API
// the agents use (ListMemories, ListActors, ListSessions, ListEvents; ListMemoryRecords, and
// RetrieveMemoryRecords for a search). Actors -> sessions -> events on the left, long-term
// records with a search box on the right. Read when the tab opens or on Refresh.
(() => {
  const { h, $ } = AC;
  const seen = { memory: '', actor: '', session: '' };

  async function call(method, path, body) {
    const r = await fetch(path, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const v = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(v.message || `HTTP ${r.status}`);
    return v;
  }
  const mem = () => `/memories/${encodeURIComponent(seen.memory)}`;
  const when = (s) => (s ? new Date(s * 1000).toLocaleString([], { hour12: false }) : '');

  function list(id, items, label, pick, chosen) {
    $(id).replaceChildren(...(items.length ? items.map((it) => h('button', {
      type: 'button', class: label(it) === chosen ? 'item on' : 'item', title: label(it),
      onclick: () => pick(it),
    }, label(it))) : [h('p', { class: 'muted' }, 'None.')]));
  }

  async function memories() {
    const { memories } = await call('POST', '/memories/', {});
    const sel = $('memory-pick');
    sel.replaceChildren(...memories.map((m) => h('option', { value: m.id }, m.id)));
    $('memory-empty').hidden = memories.length > 0;
    if (!memories.some((m) => m.id === seen.memory)) seen.memory = memories[0]?.id || '';
    sel.value = seen.memory;
    if (seen.memory) await Promise.all([actors(), records()]);
  }

  async function actors() {
    const { actorSummaries } = await call('POST', `${mem()}/actors`, { maxResults: 100 });
    list('memory-actors', actorSummaries, (a) => a.actorId, (a) => { seen.actor = a.actorId; seen.session = ''; actors(); }, seen.actor);
    if (seen.actor) await sessions();
    else { $('memory-sessions').replaceChildren(); $('memory-events').replaceChildren(); }
  }

  async function sessions() {
    const path = `${mem()}/actor/${encodeURIComponent(seen.actor)}/sessions`;
    const { sessionSummaries } = await call('POST', path, { maxResults: 100 });
    list('memory-sessions', sessionSummaries, (s) => s.sessionId, (s) => { seen.session = s.sessionId; sessions(); }, seen.session);
    if (seen.session) await events();
    else $('memory-events').replaceChildren();
  }

  function itemText(p) {
    if (p.conversational) return [p.conversational.role, p.conversational.content.text];
    if (p.json) return ['JSON', JSON.stringify(p.json.content)];
    return ['BLOB', typeof p.blob === 'string' ? p.blob : JSON.stringify(p.blob)];
  }

  async function events() {
    const path = `${mem()}/actor/${encodeURIComponent(seen.actor)}/sessions/${encodeURIComponent(seen.session)}`;
    const { events } = await call('POST', path, { maxResults: 100, includePayloads: true });
    $('memory-events').replaceChildren(...events.map((e) => h('div', { class: 'event' },
      h('div', { class: 'muted mono' }, `${when(e.eventTimestamp)}  ${e.eventId}${e.branch && e.branch.name !== 'main' ? `  branch ${e.branch.name}` : ''}`),
      ...(e.payload || []).map((p) => { const [role, text] = itemText(p); return h('div', { class: 'msg' }, h('b', {}, role), ' ', text); }),
      e.metadata ? h('div', { class: 'muted mono' }, Object.entries(e.metadata).map(([k, v]) => `${k}=${v.stringValue}`).join('  ')) : null)));
  }

  async function records() {
    const query = $('memory-query').value.trim();
    const v = query
      ? await call('POST', `${mem()}/retrieve`, { namespacePath: '/', searchCriteria: { searchQuery: query, topK: 20 } })
      : await call('POST', `${mem()}/memoryRecords`, { namespacePath: '/', maxResults: 100 });
    const rows = v.memoryRecordSummaries;
    $('memory-records').replaceChildren(...(rows.length ? rows.map((r) => h('tr', {},
      h('td', {}, r.score === undefined ? '' : r.score.toFixed(2)),
      h('td', { class: 'mono', title: r.namespaces[0] }, r.namespaces[0] || ''),
      h('td', {}, r.content.text),
      h('td', { class: 'mono muted' }, when(r.createdAt)))) : [h('tr', {}, h('td', { colspan: 4, class: 'muted' }, query ? 'No record matches.' : 'No records yet.'))]));
  }

  const refresh = () => memories().catch((e) => AC.toast(`memory: ${e.message}`, true));
  AC.views.push({
    init() {
      $('memory-refresh').addEventListener('click', refresh);
      $('memory-pick').addEventListener('change', (e) => { seen.memory = e.target.value; seen.actor = seen.session = ''; refresh(); });
      $('memory-search').addEventListener('submit', (e) => { e.preventDefault(); records().catch((x) => AC.toast(`memory: ${x.message}`, true)); });
      AC.listen('tab', ({ name }) => { if (name === 'memory') refresh(); });
    },
  });
})();
