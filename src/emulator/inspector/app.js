'use strict';
// The inspector's core: a DOM helper (text only: agent output is never parsed as HTML), the
// one live feed (/_agentcore/events) and what it keeps (agents, sessions, requests, agent log
// lines), tabs, and the at-a-glance strip. chat.js and views.js add the views.

const AC = {
  agents: [],
  sessions: [],
  requests: [],
  // session id -> the agent's last lines (from the feed, seeded from /_agentcore/logs)
  lines: new Map(),
  handlers: {},
  views: [],
};

// h('div', {class: 'x', onclick: f}, 'text', child) -> element. Strings become text nodes.
AC.h = function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    // Through CSSOM: the page's CSP forbids inline style attributes.
    else if (k === 'style') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat()) {
    if (kid === undefined || kid === null || kid === false) continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
};
AC.$ = (id) => document.getElementById(id);
AC.listen = (kind, fn) => (AC.handlers[kind] ||= []).push(fn);
AC.emit = (kind, m) => (AC.handlers[kind] || []).forEach((fn) => fn(m));

AC.getJson = async function (path) {
  const r = await fetch(path, { headers: { accept: 'application/json' } });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
};

// Coalesces bursts (a feed event per request) into one call per `ms`.
AC.later = function (fn, ms) {
  let timer = null;
  return () => {
    if (timer === null) timer = setTimeout(() => { timer = null; fn(); }, ms);
  };
};

AC.ms = (v) => (v === undefined || v === null ? '–' : v < 10 ? `${v.toFixed(1)} ms` : v < 10000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`);
AC.bytes = (n) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);
AC.dur = (s) => (s < 60 ? `${Math.floor(s)}s` : s < 3600 ? `${Math.floor(s / 60)}m ${Math.floor(s % 60)}s` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`);
AC.short = (id) => (id && id.length > 14 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id || '');
AC.clock = (unixSeconds) => new Date(unixSeconds * 1000).toLocaleTimeString([], { hour12: false });

AC.toast = function (text, bad) {
  const t = AC.$('toast');
  t.textContent = text;
  t.className = bad ? 'show bad' : 'show';
  clearTimeout(AC.toastTimer);
  AC.toastTimer = setTimeout(() => (t.className = ''), 4000);
};

AC.newSessionId = function () {
  const b = crypto.getRandomValues(new Uint8Array(16));
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `inspector-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

// The agent's last lines for a session, kept bounded (100 lines, 200 sessions).
AC.addLine = function (session, line) {
  if (!session) return;
  let list = AC.lines.get(session);
  if (!list) {
    if (AC.lines.size >= 200) AC.lines.delete(AC.lines.keys().next().value);
    list = [];
    AC.lines.set(session, list);
  }
  if (line) list.push(line);
  if (list.length > 100) list.shift();
};

// A line as a person reads it: the SDK logs JSON records (message, error, stack trace).
AC.lineText = function (l) {
  const text = l.line;
  if (!text.startsWith('{')) return text;
  let v;
  try { v = JSON.parse(text); } catch { return text; }
  if (typeof v.message !== 'string') return text;
  const head = [v.level, v.message, v.errorType && `${v.errorType}: ${v.errorMessage || ''}`].filter(Boolean).join(' ');
  const stack = Array.isArray(v.stackTrace) ? `\n${v.stackTrace.join('').trimEnd()}` : '';
  return head + stack;
};

const seeding = new Set();
AC.seedLines = async function (session) {
  if (!session || AC.lines.has(session) || seeding.has(session)) return;
  seeding.add(session);
  let logs;
  try {
    ({ logs } = await AC.getJson(`/_agentcore/logs?session=${encodeURIComponent(session)}&limit=100`));
  } finally {
    seeding.delete(session);
  }
  if (AC.lines.has(session)) return; // the feed got there first
  if (!logs.length) AC.addLine(session, null); // known, and empty
  for (const r of logs) AC.addLine(session, { level: r.level, line: r.body, stream: r.source });
  AC.emit('lines', { session });
};

// Reloads can overlap (the feed asks for one per burst); only the newest answer is drawn.
let sessionsAsked = 0;
AC.loadSessions = async function () {
  const mine = ++sessionsAsked;
  const v = await AC.getJson('/_agentcore/sessions');
  if (mine !== sessionsAsked) return;
  AC.agents = v.agents;
  AC.sessions = v.sessions;
  AC.$('n-sessions').textContent = v.sessions.length;
  AC.$('g-sessions').textContent = v.sessions.length;
  AC.emit('sessions', v);
};

// The requests held (the last 500), and their keys, so one told twice is kept once.
const requestKey = (r) => `${r.ts}|${r.session}|${r.path}|${r.status}|${r.trace_id}`;
const requestKeys = new Set();

AC.addRequest = function (r, live) {
  const key = requestKey(r);
  if (requestKeys.has(key)) return;
  requestKeys.add(key);
  // Counted at once; the next read of /metrics sets the true total again.
  if (live && AC.metricsTotal !== undefined) AC.metricsTotal++;
  AC.requests.push(r);
  if (AC.requests.length > 500) requestKeys.delete(requestKey(AC.requests.shift()));
  AC.$('n-requests').textContent = AC.requests.length;
  AC.emit('request', r);
};

// Subscribes first, then reads the history, so nothing falls between the two; what the feed
// brings meanwhile is held and applied after (a request already in the history is kept once).
function connectFeed() {
  const dot = AC.$('feed');
  let held = [];
  let generation = 0;
  let missed = 0;
  const es = new EventSource('/_agentcore/events');
  const apply = (m) => {
    if (m.kind === 'request') {
      AC.addRequest(m, true);
      // The emulator's spans of an invocation are announced by its request, not on their own.
      if (m.trace_id) AC.emit('trace', { trace_id: m.trace_id });
    } else if (m.kind === 'log') {
      AC.addLine(m.session, m);
      AC.emit('lines', m);
    } else AC.emit(m.kind, m);
  };
  // Reads the state the feed's events change. A newer resync supersedes an older one, which
  // then applies nothing; events stay held until the newest is done.
  const resync = async () => {
    const mine = ++generation;
    held = held || [];
    try {
      const { requests } = await AC.getJson('/_agentcore/requests');
      if (mine !== generation) return;
      AC.requests = [];
      requestKeys.clear();
      AC.emit('reset', {});
      requests.forEach((r) => AC.addRequest(r, false));
      await AC.loadSessions();
      if (mine !== generation) return;
      AC.emit('resync', {});
    } catch (e) {
      AC.toast(`could not read the emulator's state: ${e.message}`, true);
    }
    if (mine !== generation) return;
    const later = held;
    held = null;
    later.forEach(apply);
  };
  const lagResync = AC.later(() => {
    AC.toast(`the live feed skipped ${missed} events; reloaded`);
    missed = 0;
    resync();
  }, 1000);
  es.onopen = () => {
    dot.textContent = 'live';
    dot.className = 'feed on';
    resync();
  };
  es.onmessage = (e) => {
    let m;
    try { m = JSON.parse(e.data); } catch { return; }
    if (m.kind === 'lagged') {
      // This tab read too slowly and the emulator skipped events for it: read it all again,
      // at most once a second however often it happens under a load test.
      missed += m.missed;
      lagResync();
    } else if (held) held.push(m);
    else apply(m);
  };
  es.onerror = () => {
    // EventSource reconnects by itself; a closed emulator just stays "offline".
    dot.textContent = es.readyState === EventSource.CLOSED ? 'offline' : 'reconnecting';
    dot.className = 'feed off';
  };
}

function showTab(name) {
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('on', b.dataset.tab === name);
  for (const s of document.querySelectorAll('.tab')) s.classList.toggle('on', s.id === `tab-${name}`);
  AC.emit('tab', { name });
}
AC.showTab = (name) => { location.hash = name; };

function glance() {
  const cut = Date.now() / 1000 - 120;
  const recent = AC.requests.filter((r) => r.ts >= cut);
  const buckets = new Array(24).fill(0);
  for (const r of recent) buckets[Math.min(23, Math.floor((r.ts - cut) / 5))]++;
  const max = Math.max(1, ...buckets);
  const svg = AC.$('g-chart');
  svg.replaceChildren(...buckets.map((n, i) => {
    const hgt = Math.max(n ? 2 : 0, (n / max) * 22);
    return svgEl('rect', { x: i * 5, y: 24 - hgt, width: 4, height: hgt, class: 'bar' });
  }));
  AC.$('g-requests').textContent = AC.metricsTotal ?? AC.requests.length;
  const lat = AC.requests.map((r) => r.total_ms).sort((a, b) => a - b);
  AC.$('g-p50').textContent = lat.length ? AC.ms(lat[Math.floor(lat.length / 2)]) : '–';
}
AC.glance = AC.later(glance, 200);

function svgEl(tag, attrs) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}
AC.svg = svgEl;

document.addEventListener('DOMContentLoaded', () => {
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => AC.showTab(b.dataset.tab));
  window.addEventListener('hashchange', () => showTab(location.hash.slice(1) || 'chat'));
  const reloadSessions = AC.later(() => AC.loadSessions().catch(() => {}), 100);
  AC.listen('session', reloadSessions);
  AC.listen('request', reloadSessions);
  AC.listen('request', AC.glance);
  AC.listen('reset', AC.glance);
  for (const v of AC.views) v.init();
  showTab(location.hash.slice(1) || 'chat');
  connectFeed();
  setInterval(glance, 5000); // the chart's window slides even when nothing happens
});
