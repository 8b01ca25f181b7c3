// captain's dashboard: reads and acts only through the API of `captain serve`. The token lives
// in sessionStorage (this tab), never in a URL or a cookie.
'use strict';

const state = {
  token: sessionStorage.getItem('captain.token') || '',
  me: null,
  offsetMs: 0,       // the daemon's clock minus the browser's
  release: '',
  view: null,
  etag: '',
  lastRenderMs: 0,
};
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s == null ? '' : s).replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const now = () => new Date(Date.now() + state.offsetMs);

// --- the API ------------------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || '';
  }
}
// `cache`: 'no-store', or 'no-cache' for a poll: the browser then revalidates its copy with
// If-None-Match, and an unchanged answer (a 304 on the wire) comes back as the same ETag.
// `unchanged`: an ETag the caller holds; an answer with that ETag is not parsed (a release of a
// thousand services is a megabyte of JSON every poll) and comes back as null.
async function api(method, path, body, cache = 'no-store', unchanged = '') {
  const headers = {};
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method, headers, cache,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const etag = res.headers.get('ETag') || '';
  const text = await res.text();  // read whole: a request left unread may count as aborted
  if (res.ok && unchanged && etag === unchanged) return null;
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
  if (!res.ok) throw new ApiError(res.status, json);
  return { json, etag };
}

function showAlert(text, ok) {
  const a = $('alert');
  a.textContent = text;
  a.className = ok ? 'alert ok' : 'alert';
  a.hidden = !text;
}
function refusal(e) {
  if (e instanceof ApiError) return `Refused (${e.status}${e.code ? ' ' + e.code : ''}): ${e.message}`;
  return String(e);
}

// --- time -----------------------------------------------------------------------------------
function fmt(iso, tz) {
  if (!iso) return '-';
  return new Intl.DateTimeFormat('en-US', {
    timeZone: tz, weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit',
    minute: '2-digit', hour12: false, timeZoneName: 'short',
  }).format(new Date(iso));
}
function clock(iso, tz) {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false, timeZoneName: 'short',
  }).format(new Date(iso));
}
function span(ms) {
  const m = Math.max(0, Math.round(ms / 60000));
  const d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60), min = m % 60;
  if (d > 0) return `${d} d ${h} h ${min} min`;
  if (h > 0) return `${h} h ${min} min`;
  return `${min} min`;
}

// --- words for the plan's reason codes -----------------------------------------------------
function reasonWords(reason, detail) {
  const v = state.view;
  const deadline = v ? clock(v.milestones.opt_deadline, state.me.timezone) : '';
  const words = {
    'opted-out': 'opted out',
    'no-response': `no response by ${deadline}`,
    'no-image': 'no image',
    'scan-failed': 'scan failed',
    'unsigned': 'not signed',
    'signature-expired': 'signature expired',
    'stale-build': 'stale build',
    'open-defect': 'open defect',
    'not-validated': 'not validated',
    'unhealthy': 'unhealthy',
    'not-requested': 'not requested',
  }[reason] || reason;
  const run = /in run (\S+)/.exec(detail || '');
  if (reason === 'scan-failed' && run) return `scan failed in run ${run[1]}`;
  return words;
}

// --- rendering ------------------------------------------------------------------------------
const MILESTONES = [
  ['announce', 'Announcement', 'The train is announced'],
  ['opt_deadline', 'Opt-in deadline', 'Opt-in closes'],
  ['lower_deploy', 'Lower regions', 'dev, qa and sandbox deploy'],
  ['validation_deadline', 'Validation deadline', 'Validation closes'],
  ['defect_cutoff', 'Defect cutoff', 'Defect cutoff'],
  ['higher_deploy', 'prod-test and prod', 'prod-test and prod deploy'],
];
function partnerTeams() {
  return state.me.teams_configured.filter((t) => !t.platform).map((t) => t.name);
}
function teamAnswer(team) {
  let last = null;
  for (const o of state.view.opts) if (o.team === team && !o.service) last = o;
  return last;
}
function unanswered() {
  return partnerTeams().filter((t) => !teamAnswer(t));
}
function renderCountdown() {
  const v = state.view;
  if (!v) return;
  const t = now();
  const next = MILESTONES.find(([k]) => new Date(v.milestones[k]) > t);
  let text;
  if (!next) {
    text = `Every milestone of ${v.id} has passed (${v.state}).`;
  } else {
    const [key, , doing] = next;
    text = `${doing} in ${span(new Date(v.milestones[key]) - t)}`;
    if (key === 'opt_deadline') {
      const silent = unanswered();
      text += silent.length ? `: ${silent.join(', ')} ${silent.length > 1 ? 'have' : 'has'} not answered`
        : ': every team has answered';
    }
  }
  $('countdown').textContent = text;
}
function renderTimeline() {
  const v = state.view, tz = state.me.timezone;
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let h = `<tr><th scope="col">Milestone</th><th scope="col">${esc(tz)}</th><th scope="col">Your time (${esc(local)})</th></tr>`;
  for (const [key, name] of MILESTONES) {
    const past = new Date(v.milestones[key]) <= now();
    h += `<tr${past ? ' class="past"' : ''}><td>${esc(name)}${past ? ' (passed)' : ''}</td><td>${esc(fmt(v.milestones[key], tz))}</td><td>${esc(fmt(v.milestones[key], local))}</td></tr>`;
  }
  $('milestones').innerHTML = h;
  renderCountdown();
}

function cellOf(svc, env) {
  const d = svc.environments[env.name];
  const signed = state.view.signoffs.some((s) => s.team === svc.team && s.env === env.name);
  if (d) {
    let st = 'deployed', label = 'deployed';
    if (d.rollback) { st = 'rolled-back'; label = 'rolled back'; }
    else if (d.healthy === false) { st = 'degraded'; label = 'degraded'; }
    else if (signed) { st = 'signed-off'; label = 'signed off'; }
    else if (d.healthy === true) { st = 'healthy'; label = 'healthy'; }
    return { st, label, tag: d.tag, commit: d.gitops_commit };
  }
  const step = env.lower ? 'lower' : env.name;
  const e = svc.eligibility[step];
  if (!e) return { st: 'pending', label: '-', tag: '' };
  if (e.decision === 'deploy') return { st: 'planned', label: 'planned', tag: svc.tag };
  if (e.reason === 'no-response' && new Date(state.view.milestones.opt_deadline) > now()) {
    return { st: 'pending', label: 'awaiting opt-in', tag: '' };
  }
  return { st: 'skipped', label: reasonWords(e.reason, e.detail), tag: '' };
}
function renderBoard() {
  const v = state.view, envs = state.me.environments;
  const t0 = performance.now();
  let h = '<table><thead><tr><th scope="col">Service</th><th scope="col">Opt</th>';
  for (const e of envs) h += `<th scope="col">${esc(e.name)}</th>`;
  h += '</tr></thead><tbody>';
  const byTeam = new Map();
  for (const s of v.services) {
    if (!byTeam.has(s.team)) byTeam.set(s.team, []);
    byTeam.get(s.team).push(s);
  }
  for (const [team, list] of byTeam) {
    h += `<tr class="team-name"><th scope="rowgroup" colspan="${envs.length + 2}">team ${esc(team)}</th></tr>`;
    for (const s of list) {
      h += `<tr data-service="${esc(s.service)}"><th scope="row">${esc(s.service)}</th><td>${esc(s.opt)}</td>`;
      for (const e of envs) {
        const c = cellOf(s, e);
        const link = c.commit && state.me.commit_url
          ? ` <a class="commit" href="${esc(state.me.commit_url.replace('{commit}', c.commit))}" aria-label="GitOps commit ${esc(c.commit.slice(0, 7))} of ${esc(s.service)} in ${esc(e.name)}">${esc(c.commit.slice(0, 7))}</a>` : '';
        h += `<td class="cell" data-env="${esc(e.name)}"><span class="tag">${esc(c.tag)}</span>${link}<span class="state st-${c.st}">${esc(c.label)}</span></td>`;
      }
      h += '</tr>';
    }
  }
  h += '</tbody></table>';
  $('board').innerHTML = h;
  $('legend').textContent = 'Each cell: the tag and its state (deployed, healthy, degraded, signed off, rolled back, planned, or why it is skipped).';
  state.lastRenderMs = performance.now() - t0;
}

function myTeams() { return state.me ? state.me.teams : []; }
function renderTeams() {
  const v = state.view, tz = state.me.timezone, mine = myTeams();
  const closed = new Date(v.milestones.opt_deadline) <= now();
  let h = '<h3>Opt-ins</h3><table><tr><th scope="col">Team</th><th scope="col">Answer</th><th scope="col">By</th><th scope="col">When</th><th scope="col">Act</th></tr>';
  for (const team of partnerTeams()) {
    const a = teamAnswer(team);
    const answer = a ? a.answer : (closed ? 'no response (out)' : 'no answer yet');
    let act = '';
    if (mine.includes(team)) {
      act = `<button type="button" data-act="opt" data-team="${esc(team)}" data-answer="in">Opt ${esc(team)} in</button> ` +
            `<button type="button" data-act="opt" data-team="${esc(team)}" data-answer="out">Opt ${esc(team)} out</button>`;
    }
    h += `<tr data-team="${esc(team)}"><td>${esc(team)}</td><td class="answer">${esc(answer)}</td><td>${esc(a ? a.by : '')}</td><td>${esc(a ? fmt(a.at, tz) : '')}</td><td>${act}</td></tr>`;
  }
  h += '</table>';
  $('opts').innerHTML = h;
  let s = '<h3>Sign-offs</h3><table><tr><th scope="col">Team</th>';
  for (const e of state.me.environments) s += `<th scope="col">${esc(e.name)}</th>`;
  s += '</tr>';
  for (const t of state.me.teams_configured) {
    s += `<tr><td>${esc(t.name)}</td>`;
    for (const e of state.me.environments) {
      const done = v.signoffs.find((x) => x.team === t.name && x.env === e.name);
      let cell = done ? `signed off by ${esc(done.by)}` : '-';
      if (!done && mine.includes(t.name)) {
        cell = `<button type="button" data-act="signoff" data-team="${esc(t.name)}" data-env="${esc(e.name)}">Sign off ${esc(e.name)}</button>`;
      }
      s += `<td>${cell}</td>`;
    }
    s += '</tr>';
  }
  $('signoffs').innerHTML = s + '</table>';
  const defects = [];
  for (const svc of v.services) for (const d of svc.defects) defects.push([svc.service, d]);
  const own = v.services.filter((svc) => mine.includes(svc.team)).map((svc) => svc.service);
  $('defect-form').hidden = own.length === 0;
  const select = $('defect-service');
  if (select.options.length !== own.length) {
    select.innerHTML = own.map((svc) => `<option>${esc(svc)}</option>`).join('');
  }
  $('defects').innerHTML = '<h3>Defects</h3>' + (defects.length
    ? '<ul>' + defects.map(([svc, d]) => `<li>#${d.id} ${esc(svc)}: ${esc(d.title)} (${d.open ? 'open' : 'resolved'})</li>`).join('') + '</ul>'
    : '<p>No defects recorded.</p>');
}

function renderCaptainActions() {
  const box = $('captain-actions');
  if (!state.me || !state.me.captain) { box.innerHTML = ''; return; }
  box.innerHTML = ['lower', 'prod-test', 'prod'].map((step) =>
    `<button type="button" data-act="deploy" data-step="${step}">Deploy ${step}</button>`).join('') +
    '<button type="button" data-act="rollback">Roll back…</button>';
}

async function renderSignatures() {
  const { json } = await api('GET', '/api/v1/signatures');
  const rows = json.signatures.filter((s) => s.signed_at);
  const max = state.me.signature_max_age_days;
  if (!rows.length) { $('sig-chart').innerHTML = '<p>Nothing deployed yet.</p>'; return; }
  const bar = 16, left = 220, width = 420, top = 20;
  const scale = width / Math.max(max + 5, ...rows.map((r) => max - r.days_left + 1));
  let g = '';
  rows.forEach((r, i) => {
    const age = Math.max(0, max - r.days_left);
    const cls = r.status === 'expired' ? 'bar expired' : (r.must_ship_in ? 'bar due' : 'bar');
    const y = top + i * (bar + 4);
    g += `<text x="0" y="${y + 12}">${esc(r.service)} ${esc(r.env)}</text>` +
         `<rect class="${cls}" x="${left}" y="${y}" width="${Math.max(1, age * scale)}" height="${bar}"><title>${esc(r.service)} in ${esc(r.env)}: ${age} days since signing${r.must_ship_in ? ', must ship in ' + esc(r.must_ship_in) : ''}</title></rect>` +
         `<text x="${left + Math.max(1, age * scale) + 4}" y="${y + 12}">${age} d${r.must_ship_in ? ' (ship in ' + esc(r.must_ship_in) + ')' : ''}</text>`;
  });
  const h = top + rows.length * (bar + 4) + 10;
  g += `<line class="limit" x1="${left + max * scale}" x2="${left + max * scale}" y1="10" y2="${h}"/>` +
       `<text x="${left + max * scale + 4}" y="12">max ${max} days</text>`;
  $('sig-chart').innerHTML = `<svg role="img" aria-label="Days since signing per service and environment; the dashed line is the maximum age" width="${left + width + 160}" height="${h}" viewBox="0 0 ${left + width + 160} ${h}">${g}</svg>`;
}

async function renderCalendar() {
  const { json } = await api('GET', '/api/v1/schedule?count=4');
  $('calendar').innerHTML = json.trains.map((t) =>
    `<li>${esc(t.release_day)}: announce ${esc(fmt(t.milestones.announce, json.timezone))}, prod ${esc(fmt(t.milestones.higher_deploy, json.timezone))}${t.moved.length ? ' (moved)' : ''}</li>`).join('');
}

async function renderIncidents() {
  const { json } = await api('GET', '/api/v1/incidents');
  const list = json.incidents;
  if (!list.length) { $('incidents').innerHTML = '<p>No incidents.</p>'; return; }
  $('incidents').innerHTML = list.map((i) =>
    `<details data-incident="${esc(i.id)}"><summary>#${esc(i.id)} ${esc(i.title)}, opened by ${esc(i.opened_by)} ${esc(fmt(i.opened_at, state.me.timezone))}</summary><pre>${esc(i.description)}</pre></details>`).join('');
}

async function renderAudit() {
  const q = new URLSearchParams({ release: state.release });
  if ($('audit-actor').value) q.set('actor', $('audit-actor').value);
  if ($('audit-action').value) q.set('action', $('audit-action').value);
  const { json } = await api('GET', `/api/v1/audit?${q}`);
  const entries = (json.entries || json.audit || []).slice().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id - a.id));
  let h = '<tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Subject</th></tr>';
  for (const e of entries) h += `<tr><td>${esc(fmt(e.at, state.me.timezone))}</td><td>${esc(e.actor)}</td><td>${esc(e.action)}</td><td>${esc(e.subject)}</td></tr>`;
  $('audit').innerHTML = h;
}

// --- actions --------------------------------------------------------------------------------
function confirmWith(text) {
  const d = $('confirm');
  $('confirm-body').textContent = text;
  d.showModal();
  return new Promise((resolve) => {
    const done = (ok) => { d.close(); $('confirm-yes').onclick = $('confirm-no').onclick = null; resolve(ok); };
    $('confirm-yes').onclick = () => done(true);
    $('confirm-no').onclick = () => done(false);
  });
}
async function act(button) {
  const id = state.release, a = button.dataset;
  try {
    if (a.act === 'opt') {
      await api('POST', `/api/v1/releases/${encodeURIComponent(id)}/opt`, { team: a.team, answer: a.answer });
      showAlert(`${a.team} opted ${a.answer}.`, true);
    } else if (a.act === 'signoff') {
      await api('POST', `/api/v1/releases/${encodeURIComponent(id)}/signoffs`, { team: a.team, env: a.env });
      showAlert(`${a.team} signed off ${a.env}.`, true);
    } else if (a.act === 'deploy') {
      const dry = await api('POST', `/api/v1/releases/${encodeURIComponent(id)}/deploy`, { tier: a.step, dry_run: true });
      if (!(await confirmWith(`Deploy ${a.step} of ${id}? The dry run:\n\n${JSON.stringify(dry.json, null, 2)}`))) return;
      const job = await api('POST', `/api/v1/releases/${encodeURIComponent(id)}/deploy`, { tier: a.step });
      showAlert(`Deploy ${a.step} started (job ${job.json.job || ''}).`, true);
    } else if (a.act === 'rollback') {
      $('rb-env').innerHTML = state.me.environments.map((e) => `<option>${esc(e.name)}</option>`).join('');
      $('rollback-form').hidden = false;
      $('rb-env').focus();
      return;
    }
    await refresh(true);
  } catch (e) {
    showAlert(refusal(e));
  }
}

async function rollback(ev) {
  ev.preventDefault();
  const id = state.release;
  const body = {
    env: $('rb-env').value,
    services: $('rb-services').value.split(',').map((s) => s.trim()).filter(Boolean),
    reason: $('rb-reason').value,
  };
  const path = `/api/v1/releases/${encodeURIComponent(id)}/rollback`;
  try {
    const dry = await api('POST', path, Object.assign({ dry_run: true }, body));
    const lines = Object.entries(dry.json.restored).map(([s, t]) => `${s}: back to ${t}`);
    if (!(await confirmWith(`Roll back ${body.env} of ${id}? The dry run restores:\n\n${lines.join('\n')}\n\nAn incident report is opened.`))) return;
    const job = await api('POST', path, body);
    showAlert(`Rollback of ${body.env} started (job ${job.json.job || ''}).`, true);
    $('rollback-form').hidden = true;
    await until(() => refresh(true));
  } catch (e) {
    showAlert(refusal(e));
  }
}
// Refreshes a few times while a job runs.
async function until(step) {
  for (let i = 0; i < 10; i++) { await new Promise((r) => setTimeout(r, 500)); await step(); }
}

async function fileRequest(ev) {
  ev.preventDefault();
  const out = $('request-result');
  out.innerHTML = '';
  const body = {
    kind: $('req-kind').value,
    commit: $('req-commit').value.trim(),
    services: $('req-services').value.split(',').map((s) => s.trim()).filter(Boolean),
    changelog: $('req-changelog').value,
  };
  if ($('req-at').value) body.at = new Date($('req-at').value + 'Z').toISOString().replace(/\.\d+Z$/, 'Z');
  try {
    const r = await api('POST', '/api/v1/requests', body);
    showAlert(`Request filed: ${r.json.id || r.json.release || ''}`, true);
  } catch (e) {
    showAlert(refusal(e));
    const parts = e instanceof ApiError ? e.message.split(/;\s+/) : [String(e)];
    out.innerHTML = parts.map((p) => `<li>${esc(p)}</li>`).join('');
  }
}

// --- loading --------------------------------------------------------------------------------
async function loadRelease(id, force) {
  const path = `/api/v1/releases/${encodeURIComponent(id)}`;
  const r = await api('GET', path, undefined, 'no-cache', force ? '' : state.etag);
  if (!r) return false;
  state.view = r.json;
  state.etag = r.etag;
  return true;
}
function renderView() {
  renderTimeline();
  renderBoard();
  renderTeams();
  renderCaptainActions();
}
// What the browser measured: the board's first render since the page started, and the last
// update (fetch, parse and render of a changed release), in ms.
window.captainTimings = { firstBoard: null, lastUpdate: null, updates: 0 };
async function refresh(force) {
  if (!state.release) return;
  const t0 = performance.now();
  if (await loadRelease(state.release, force)) {
    renderView();
    const t = window.captainTimings;
    if (t.firstBoard === null) t.firstBoard = performance.now();
    else { t.lastUpdate = performance.now() - t0; t.updates += 1; }
    renderSignatures().catch((e) => showAlert(refusal(e)));
    renderAudit().catch((e) => showAlert(refusal(e)));
    renderIncidents().catch((e) => showAlert(refusal(e)));
  }
}

async function start() {
  try {
    const me = await api('GET', '/api/v1/me');
    state.me = me.json;
    state.offsetMs = new Date(state.me.now) - Date.now();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      $('token-form').hidden = false;
      $('main').hidden = true;
      if (state.token) showAlert('That token was not accepted: enter another.');
      return;
    }
    showAlert(refusal(e));
    return;
  }
  if (!state.me.name && !state.me.public_reads) {
    $('token-form').hidden = false;
    $('main').hidden = true;
    return;
  }
  $('token-form').hidden = true;
  $('main').hidden = false;
  const roles = state.me.roles.length ? state.me.roles.join(', ') : 'read only';
  $('who').textContent = state.me.name ? `${state.me.name} (${roles})` : 'not signed in (read only)';
  $('requests-card').hidden = !(state.me.captain || state.me.teams.length);
  const list = (await api('GET', '/api/v1/releases')).json.releases;
  const select = $('release-select');
  select.innerHTML = list.map((r) => `<option value="${esc(r.id)}">${esc(r.id)} (${esc(r.kind)}, ${esc(r.state)})</option>`).join('');
  const wanted = new URLSearchParams(location.hash.slice(1)).get('release');
  state.release = list.some((r) => r.id === wanted) ? wanted : (list.length ? list[list.length - 1].id : '');
  for (const r of list) if (r.kind === 'standard' && r.state !== 'cancelled' && !wanted) state.release = r.id;
  select.value = state.release;
  if (!state.release) { $('board').textContent = 'No release yet.'; }
  await refresh(true);
  await renderCalendar();
}

document.addEventListener('DOMContentLoaded', () => {
  $('token-entry').addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.token = $('token-input').value.trim();
    sessionStorage.setItem('captain.token', state.token);
    $('token-input').value = '';
    showAlert('');
    start();
  });
  $('token-button').addEventListener('click', () => {
    $('token-form').hidden = false;
    $('token-input').focus();
  });
  $('release-select').addEventListener('change', (ev) => {
    state.release = ev.target.value;
    state.etag = '';
    location.hash = `release=${encodeURIComponent(state.release)}`;
    refresh(true).catch((e) => showAlert(refusal(e)));
  });
  document.body.addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-act]');
    if (b) act(b);
  });
  $('request-form').addEventListener('submit', fileRequest);
  $('rollback-form').addEventListener('submit', rollback);
  $('defect-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', `/api/v1/releases/${encodeURIComponent(state.release)}/defects`,
        { service: $('defect-service').value, title: $('defect-title').value });
      showAlert(`Defect reported on ${$('defect-service').value}.`, true);
      $('defect-title').value = '';
      await refresh(true);
    } catch (e) { showAlert(refusal(e)); }
  });
  $('rb-cancel').addEventListener('click', () => { $('rollback-form').hidden = true; });
  $('incidents').addEventListener('toggle', async (ev) => {
    const d = ev.target;
    if (!d.open || d.dataset.loaded) return;
    try {
      const { json } = await api('GET', `/api/v1/incidents/${encodeURIComponent(d.dataset.incident)}?format=markdown`);
      d.querySelector('pre').textContent = json.markdown || JSON.stringify(json, null, 2);
      d.dataset.loaded = '1';
    } catch (e) { showAlert(refusal(e)); }
  }, true);
  $('audit-filter').addEventListener('submit', (ev) => {
    ev.preventDefault();
    renderAudit().catch((e) => showAlert(refusal(e)));
  });
  start().catch((e) => showAlert(refusal(e)));
  // Live: the release is polled, revalidated by its ETag (an unchanged view costs a 304); the countdown
  // ticks every second.
  setInterval(() => { if (state.me) refresh(false).catch(() => {}); }, 2000);
  setInterval(renderCountdown, 1000);
});
