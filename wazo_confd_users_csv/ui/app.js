'use strict';
// Everything in one function: no global name (inside wazo-ui, a global `$` would replace
// jQuery's for wazo-ui's own scripts).
(() => {
// One page for every host. The host wraps page.html in #users-csv and says, in its data
// attributes, where the API is and how it is authenticated:
// * data-api: the API's base URL ('..' under <prefix>/1.1/users/csv/ on the standalone host and
//   inside wazo-confd, so the page works behind any reverse proxy; wazo-ui: its plugin's routes);
// * data-auth: 'token' (the administrator pastes a wazo-auth token, kept for the tab) or
//   'session' (wazo-ui: its login; its server calls confd with the session's token, which this
//   page never sees, in wazo-ui's working tenant); data-csrf: the session's CSRF token;
//   data-tenant, data-tenant-uuid: the working tenant.
const ROOT = document.getElementById('users-csv');
const HOST = {
  api: (ROOT.dataset.api || '..').replace(/\/+$/, ''),
  session: ROOT.dataset.auth === 'session',
  csrf: ROOT.dataset.csrf || '',
  tenant: ROOT.dataset.tenant || '',
  tenantUuid: ROOT.dataset.tenantUuid || '',
};
const API = { import: `${HOST.api}/import`, export: `${HOST.api}/export`,
  columns: `${HOST.api}/import/columns`, tenants: `${HOST.api}/import/tenants`,
  jobs: `${HOST.api}/import/jobs` };
const TOKEN_KEY = 'users-csv-token';
const TENANT_KEY = 'users-csv-tenant';  // a pasted token inside wazo-confd: the tenant chosen
const MODES = {
  import: { title: 'Import a file', method: 'POST', key: 'created', verb: 'created' },
  update: { title: 'Update from file', method: 'PUT', key: 'updated', verb: 'updated' },
};
// what each action needs: said when a token (or a wazo-ui account) lacks it
const ACTIONS = {
  import: { verb: 'import users', acl: 'confd.users.import.create' },
  update: { verb: 'update users', acl: 'confd.users.import.update' },
  export: { verb: 'export users', acl: 'confd.users.export.read' },
  list: { verb: 'list users', acl: 'confd.users.export.read' },
  jobs: { verb: 'follow the imports it sends', acl: 'confd.users.import.jobs.read' },
};
const SECRETS_ACL = 'confd.users.export.secrets.read';
const state = {
  mode: 'import',
  file: null, text: '', charset: 'utf-8', key: null, rows: 0,  // the file checked last
  check: 0, checking: null,
  busy: false,  // an Apply is under way: no other file, charset or action until it answers
  sent: null,  // what Apply sent (file, key, charset, mode, text): Ask again sends the same
  job: null,  // the uuid of the server's job the page follows (a check or an Apply)
};
const plural = (count, word) => `${count.toLocaleString('en')} ${word}${count === 1 ? '' : 's'}`;
const $ = (id) => document.getElementById(id);

function token() { return HOST.session ? null : sessionStorage.getItem(TOKEN_KEY); }

// A message shown on the page never holds the token: confd's 401 answers carry it.
function scrub(text) {
  const secret = token();
  return secret && text ? text.split(secret).join('…') : text;
}

function setStatus(message, kind) {
  $('status').textContent = scrub(message) || '';
  $('status').className = kind || '';
}

function showToken(show) {
  $('token-panel').hidden = !show;
  $('actions').hidden = show;
  $('columns-panel').hidden = show;
  $('users-panel').hidden = show;
  $('jobs-panel').hidden = show;
  if (show) { $('file-panel').hidden = true; $('token').focus(); }
}

// A request key (Idempotency-Key) per checked file: an Apply whose answer is lost can be asked
// again, and the server answers as the first time instead of applying the file twice.
// (crypto.randomUUID needs https; getRandomValues works on a plain-http PBX too.)
function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// XMLHttpRequest rather than fetch: it reports upload progress for large files.
function request(method, url, body, { blob = false, key = null, json = false, started = null,
  tenant = true, charset = 'utf-8', async = false } = {}) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    if (started) started(xhr);  // the caller may abort it
    xhr.open(method, url);
    if (HOST.session) {
      // the session's cookie goes with it; the CSRF token proves the page sent it, and the
      // tenant it shows is checked against the session's (switched in another tab?)
      if (HOST.csrf) xhr.setRequestHeader('X-CSRFToken', HOST.csrf);
      if (HOST.tenantUuid) xhr.setRequestHeader('X-Users-Csv-Tenant', HOST.tenantUuid);
    } else {
      xhr.setRequestHeader('X-Auth-Token', token() || '');
      const chosen = tenant && sessionStorage.getItem(TENANT_KEY);
      if (chosen) xhr.setRequestHeader('Wazo-Tenant', chosen);
    }
    if (json) xhr.setRequestHeader('Accept', 'application/json');
    // the file goes as it is, in the charset it was read in
    if (body) xhr.setRequestHeader('Content-Type', `text/csv; charset=${charset}`);
    if (key) xhr.setRequestHeader('Idempotency-Key', key);
    // a long file becomes a job (202) the page follows; an older server answers as before
    if (async) xhr.setRequestHeader('Prefer', 'respond-async');
    if (blob) xhr.responseType = 'blob';
    const bar = $('progress');
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      bar.max = e.total;
      bar.value = e.loaded;
      $('progress-text').textContent = `sending: ${Math.floor((100 * e.loaded) / e.total)}% of ` +
        `${(e.total / 1e6).toFixed(1)} MB`;
    };
    xhr.upload.onload = () => {  // uploaded: now the server works through the rows
      bar.removeAttribute('value');
      $('progress-text').textContent = state.rows
        ? `the server works through ${plural(state.rows, 'row')}…` : 'the server is at work…';
    };
    xhr.onabort = () => resolve({ status: 0, json: null, aborted: true });
    xhr.onload = () => {
      let json = null;
      if (!blob || xhr.status >= 400) {
        try {
          json = JSON.parse(blob ? '' : xhr.responseText);
        } catch (e) { json = null; }
      }
      resolve({ status: xhr.status, json, blob: blob ? xhr.response : null, xhr });
    };
    xhr.onerror = () => resolve({ status: 0, json: null });
    xhr.send(body || null);
  });
}

function messagesOf(body) {
  // {"errors": [...]} (ours), confd's list of strings, or an object with a message
  let text = null;
  if (Array.isArray(body)) text = body.filter((m) => typeof m === 'string').join('; ');
  else if (body && Array.isArray(body.errors)) text = body.errors.map((e) => e.message).join('; ');
  else if (body && typeof body.message === 'string') text = body.message;
  return text ? scrub(text) : null;
}

async function errorMessage(answer) {
  const found = messagesOf(answer.json);
  if (found) return found;
  if (answer.blob) {
    try { return messagesOf(JSON.parse(await answer.blob.text())) || `the server answered ${answer.status}`; }
    catch (e) { /* not JSON */ }
  }
  return answer.status ? `the server answered ${answer.status}` : 'the server cannot be reached';
}

// A 401's text is never shown: confd puts the refused token itself in it.
async function refused(answer, action) {
  if (answer.status !== 401) return false;
  const who = HOST.session ? 'Your account' : 'This token';
  if (action) {  // refused for one action: is the login itself still good (the columns)?
    const probe = await request('GET', API.columns);
    if (probe.status === 200) {
      setStatus(`${who} may not ${action.verb}: it needs the right ${action.acl}` +
        (HOST.session ? ' (ask an administrator).' : '; ask for it, or use another token.'), 'bad');
      return true;
    }
  }
  if (HOST.session) {
    setStatus('Your wazo-ui session has ended or wazo-auth refuses it: reload the page to log ' +
      'in again.', 'bad');
    return true;
  }
  sessionStorage.removeItem(TOKEN_KEY);
  setStatus('The token was refused: wazo-auth does not know it, it has expired, or it may not ' +
    'use this page. Enter another one.', 'bad');
  showToken(true);
  return true;
}

function download(name, blob) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.appendChild(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
}

function fillTable(table, rows) {
  const body = table.querySelector('tbody');
  body.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      td.textContent = cell === null || cell === undefined ? '' : String(cell);
      tr.appendChild(td);
    }
    return tr;
  }));
}

const OUTCOMES = ['summary', 'errors', 'result', 'changes', 'ask-again', 'warnings'];

function openFilePanel(mode) {
  if (state.busy) return;
  state.mode = mode;
  $('menu').open = false;
  $('file-title').textContent = MODES[mode].title;
  $('file-panel').hidden = false;
  for (const id of OUTCOMES) $(id).hidden = true;
  $('file').value = '';
  setStatus('');
  $('file').focus();
}

function working(show, cancellable = false) {
  $('working').hidden = !show;
  delete $('working').dataset.phase;
  $('cancel').hidden = !cancellable;
  $('progress').removeAttribute('value');
  $('progress-text').textContent = '';
}

// While an Apply runs, nothing may change what it is about: the file, its charset, the
// tenant, the other actions. Its answer is then about the file that was sent.
function lock(on) {
  state.busy = on;
  for (const id of ['file', 'charset', 'apply', 'menu-import', 'menu-update', 'menu-export',
    'tenant']) $(id).disabled = on;
  $('drop-zone').classList.toggle('locked', on);
  $('drop-zone').setAttribute('aria-disabled', String(on));
}

// --- jobs: a check or an Apply is sent with `Prefer: respond-async`; the server answers 202
// with a job the page follows (its phase and counts), may cancel while it reads or checks, and
// remembers for the tab, per tenant, so that coming back to the page finds it ---------------

const ENDED = ['done', 'failed', 'cancelled'];
const CANCELLABLE = ['queued', 'reading', 'checking'];
const POLL_MS = 500;
const LOST_POLLS = 20;  // polls in a row without an answer: the job's answer is lost to the page
const NO_HEADERS = { getResponseHeader: () => null };

function jobKey() {
  const tenant = HOST.session ? HOST.tenantUuid : sessionStorage.getItem(TENANT_KEY) || '';
  return `users-csv-job:${tenant}`;
}

function remember(meta) {
  // the file's text too, when it fits: the answer is then shown with the file's names
  try {
    sessionStorage.setItem(jobKey(), JSON.stringify(meta));
  } catch (e) {
    try { sessionStorage.setItem(jobKey(), JSON.stringify({ ...meta, text: null })); }
    catch (e2) { /* no room: the job is not found again, nothing else is lost */ }
  }
}

function remembered() {
  try { return JSON.parse(sessionStorage.getItem(jobKey()) || 'null'); } catch (e) { return null; }
}

// an answer shown once is not shown again when the page comes back
function markSeen(answer) {
  if (answer && answer.job) sessionStorage.setItem(`${jobKey()}:seen`, answer.job.uuid);
}

const figure = (n) => (n || 0).toLocaleString('en');

// The phase in words and how far it is: [text, done, of] (of 0: nothing to measure)
function progressOf(job) {
  const c = job.counts || {};
  switch (job.phase) {
    case 'queued': return ['queued: waiting for the files before it', 0, 0];
    case 'reading': return [`reading the file: ${plural(c.read || 0, 'row')}`, c.read, c.rows || state.rows];
    case 'checking': return [`checking: row ${figure(c.checked)} of ${figure(c.rows)}`, c.checked, c.rows];
    case 'writing': return [`${job.dry_run ? 'trying the writes (nothing is kept)' : 'writing'}: ` +
      `row ${figure(c.written)} of ${figure(c.rows)}`, c.written, c.rows];
    case 'logins': return [`wazo-auth logins: ${figure(c.logins)} of ${figure(c.logins_total)}`,
      c.logins, c.logins_total];
    case 'committing': return ['committing: all or nothing', 0, 0];
    case 'publishing': return [`publishing ${plural(c.events || 0, 'event')}`, 0, 0];
    default: return [job.phase, 0, 0];
  }
}

function showJob(job) {
  const [text, done, of] = progressOf(job);
  const bar = $('progress');
  if (of) { bar.max = of; bar.value = Math.min(done || 0, of); } else bar.removeAttribute('value');
  $('working').dataset.phase = job.phase;
  $('progress-text').textContent = text + (job.cancel_requested ? ' (cancelling…)' : '');
  $('cancel').hidden = !CANCELLABLE.includes(job.phase) || job.cancel_requested;
}

// The job's end as the synchronous answer was: its status and body (a refused file's 400
// too); cancelled as an aborted request; failed (no answer) as a refusal saying why.
function answerOf(job) {
  if (job.phase === 'cancelled') return { status: 0, json: null, aborted: true, job };
  if (job.phase === 'failed') {
    return { status: job.status || 500, xhr: NO_HEADERS, job,
      json: { errors: [{ message: job.message || 'the job failed: nothing was written' }] } };
  }
  return { status: job.status, json: job.result, xhr: NO_HEADERS, job };
}

const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

async function follow(uuid, stale = () => false) {
  let misses = 0;
  for (;;) {
    if (stale()) return { status: 0, json: null, aborted: true };
    const answer = await request('GET', `${API.jobs}/${encodeURIComponent(uuid)}`, null,
      { json: true });
    if (stale()) return { status: 0, json: null, aborted: true };
    if (answer.status === 200 && answer.json && answer.json.phase) {
      misses = 0;
      const job = answer.json;
      // done without its answer yet (a server that says the phase before storing it)
      if (ENDED.includes(job.phase) && (job.phase !== 'done' || job.status)) return answerOf(job);
      if (!ENDED.includes(job.phase)) showJob(job);
    } else if (answer.status === 401) {
      return { ...answer, polled: true };  // the job was sent; following it is refused
    } else if (answer.status === 404 || ++misses >= LOST_POLLS) {
      return { status: 0, json: null };  // the job is gone or out of reach: its answer is lost
    }
    await pause(POLL_MS);
  }
}

// Sends the file as a job and follows it to its answer; a server that ignores the preference
// (an older plugin) answers at once, and that answer is the one shown.
async function sendAsJob(method, url, file, options, meta, stale) {
  const answer = await request(method, url, file, { ...options, async: true });
  if (answer.status !== 202 || !answer.json || !answer.json.uuid) return answer;
  const job = answer.json;
  remember({ ...meta, uuid: job.uuid });
  state.job = job.uuid;
  showJob(job);
  return follow(job.uuid, stale);
}

async function cancelJob(uuid) {
  $('cancel').hidden = true;
  const answer = await request('DELETE', `${API.jobs}/${encodeURIComponent(uuid)}`);
  if (answer.status === 409) {
    setStatus(`Too late to cancel: ${messagesOf(answer.json) || 'the job writes'}.`);
  }
}

// The charset is found for each file, never carried over from the previous one: a file that
// is valid UTF-8 is read as UTF-8, any other as Windows-1252 (what Excel on Windows saves as
// "CSV"). The "Read as" choice then changes it for this file only.
function detectCharset(buffer) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    return 'utf-8';
  } catch (e) {
    return 'windows-1252';
  }
}

const CHARSET_NAMES = { 'utf-8': 'UTF-8', 'windows-1252': 'Windows-1252',
  'iso-8859-15': 'Latin-9' };

async function check(file, chosen = null) {
  if (state.busy) return;  // the file input is locked during Apply; a drop is ignored
  const mine = ++state.check;  // a later choice makes this check's answer stale
  if (state.checking) state.checking.abort();  // and the older check needs no answer at all
  if (state.job) cancelJob(state.job);
  state.job = null;
  const buffer = await file.arrayBuffer();
  if (mine !== state.check) return;
  const charset = chosen || detectCharset(buffer);
  state.file = file;
  state.key = newKey();
  state.charset = charset;
  state.text = new TextDecoder(charset).decode(buffer);
  state.records = null;
  state.rows = Math.max(0, (state.text.match(/\n(?=.)/g) || []).length);  // about: for progress
  $('charset').value = charset;
  $('charset-note').textContent = chosen ? `${file.name}: your choice, for this file only`
    : `${file.name}: ${charset === 'utf-8' ? 'UTF-8' : 'not UTF-8, read as Windows-1252 (what ' +
      'Excel on Windows saves as CSV); if its accents look wrong, choose another'}`;
  $('file').value = '';  // the same file, fixed and chosen again, is checked again
  for (const id of OUTCOMES) $(id).hidden = true;
  working(true, true);
  setStatus(`Checking ${file.name}…`);
  const answer = await sendAsJob(MODES[state.mode].method, `${API.import}?dry_run=true`, file,
    { charset, started: (xhr) => { state.checking = xhr; } },
    { mode: state.mode, dry: true, name: file.name, key: state.key, charset, text: state.text },
    () => mine !== state.check);
  if (mine !== state.check) return;  // another file was chosen meanwhile: its answer counts
  state.checking = null;
  state.job = null;
  working(false);
  await checked(answer, file);
}

async function checked(answer, file) {
  markSeen(answer);
  if (answer.polled && await refused(answer, ACTIONS.jobs)) return;
  if (answer.aborted) {
    setStatus(`The check of ${file.name} was cancelled: nothing was written.`);
    return;
  }
  if (await refused(answer, ACTIONS[state.mode])) return;
  if (answer.status === 200 && answer.json && answer.json.dry_run) {
    showSummary(answer.json);
  } else if (answer.status === 400 && answer.json && answer.json.errors) {
    showErrors(answer.json.errors, answer.json.error_summary);
  } else {
    setStatus(`${file.name}: ${await errorMessage(answer)}`, 'bad');
  }
}

// The file's records (header first), parsed once per file.
function recordsOf(job) {
  if (!job.records) job.records = parseCsv(job.text);
  return job.records;
}

function cellsOf(job) {
  const records = recordsOf(job);
  const header = records.length ? records[0].cells : [];
  return (record, name) => {
    const at = header.indexOf(name);
    return record && at >= 0 ? record.cells[at] || '' : '';
  };
}

// A user as the administrator knows them: the name of the file's row, else its email or
// login, never a database id.
function nameOf(job, rowNumber, fallback = '') {
  const record = recordsOf(job)[rowNumber];
  const at = cellsOf(job);
  const name = [at(record, 'firstname'), at(record, 'lastname')].filter(Boolean).join(' ');
  return name || at(record, 'email') || at(record, 'username') || fallback;
}

function tenantName() {
  if (HOST.session) return HOST.tenant;
  if ($('tenant-bar').hidden) return '';
  const option = $('tenant').selectedOptions[0];
  return option ? option.textContent : '';
}

// Import: what the rows create or reuse. Update: per resource what its events announce.
const SUMMARY_COLUMNS = {
  import: [['created', 'Created'], ['reused', 'Reused']],
  update: [['created', 'Created'], ['updated', 'Updated'], ['associated', 'Linked'],
    ['dissociated', 'Unlinked']],
};

function fillHead(table, labels) {
  const row = document.createElement('tr');
  for (const label of labels) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = label;
    row.appendChild(th);
  }
  table.querySelector('thead').replaceChildren(row);
}

function resourceTable(summary, mode) {
  const actions = SUMMARY_COLUMNS[mode];
  const names = new Set(actions.flatMap(([key]) => Object.keys(summary[key] || {})));
  fillHead($('summary-table'), ['Resource', ...actions.map(([, label]) => label)]);
  fillTable($('summary-table'), [...names].sort().map((name) => [
    name.replace(/_/g, ' '), ...actions.map(([key]) => (summary[key] || {})[name] || 0)]));
  $('summary-table').hidden = names.size === 0;
}

const PREVIEW_ROWS = 10;

function previewTable(job, entries) {
  // the users the file makes, as it writes them: the admin sees whom before Apply
  const records = recordsOf(job);
  const at = cellsOf(job);
  fillTable($('preview-table'), entries.slice(0, PREVIEW_ROWS).map((entry) => {
    const record = records[entry.row_number];
    const exten = at(record, 'exten');
    return [record ? record.line : '', nameOf(job, entry.row_number),
      exten ? `${exten}@${at(record, 'context')}` : '', at(record, 'line_protocol'),
      at(record, 'username'), at(record, 'email')];
  }));
  $('preview-more').textContent = entries.length > PREVIEW_ROWS
    ? `and ${plural(entries.length - PREVIEW_ROWS, 'more user')}` : '';
  $('preview').hidden = entries.length === 0;
}

const SHOWN_CHANGES = 500;  // the rest is counted: the answer has every row

function changesTable(job, entries) {
  // the updated users, named as the file names them, with the columns that change
  const updated = entries.filter((e) => e.outcome === 'updated');
  fillTable($('changes-table'), updated.slice(0, SHOWN_CHANGES).map((e) => [
    e.row_number, nameOf(job, e.row_number, `user ${e.user_uuid}`), e.changed.join(', ')]));
  $('changes-more').textContent = updated.length > SHOWN_CHANGES
    ? `and ${updated.length - SHOWN_CHANGES} more users` : '';
  $('changes').hidden = updated.length === 0;
}

// The answer's warnings: told, not refused (an ignored column, entity_id read as the tenant).
function showWarnings(warnings) {
  const items = warnings || [];
  $('warning-list').replaceChildren(...items.map((warning) => {
    const li = document.createElement('li');
    const rows = warning.row_numbers || [];
    li.textContent = warning.message + (rows.length
      ? ` (row${rows.length > 1 ? 's' : ''} ${rows.slice(0, 20).join(', ')}` +
        `${rows.length > 20 ? ', …' : ''})` : '');
    return li;
  }));
  $('warnings').hidden = items.length === 0;
}

function currentJob() {
  return { file: state.file, key: state.key, charset: state.charset, mode: state.mode,
    text: state.text, records: state.records, confirm: state.confirm };
}

function showSummary(body) {
  const mode = MODES[state.mode];
  const summary = body.summary;
  const job = currentJob();
  resourceTable(summary, state.mode);
  $('changes').hidden = true;
  $('preview').hidden = true;
  let unchanged = false;
  if (state.mode === 'update') {
    const users = plural(summary.users.updated, 'user');
    const changes = plural(summary.events, 'change');
    unchanged = summary.users.updated === 0;
    state.confirm = `${users} (${changes})`;
    $('summary-title').textContent = unchanged
      ? `nothing to change: the file matches its ${plural(summary.rows, 'user')}`
      : `${users} will be updated (${changes})` +
        (summary.users.unchanged ? `, ${summary.users.unchanged} unchanged` : '');
    changesTable(job, body[mode.key]);
  } else {
    $('summary-title').textContent = `${plural(body[mode.key].length, 'user')} will be ${mode.verb}`;
    previewTable(job, body[mode.key]);
  }
  state.records = job.records;
  const tenant = tenantName();
  $('summary-tenant').hidden = !tenant;
  $('summary-tenant').textContent = tenant ? `In tenant ${tenant}` : '';
  showWarnings(body.warnings);
  $('apply').disabled = unchanged;  // nothing to apply
  $('summary').hidden = false;
  setStatus(unchanged ? `${state.file.name} changes nothing.`
    : `${state.file.name} is valid: nothing is written until you apply it.`, 'ok');
  $('summary-title').focus();  // not Apply: a stray Enter must not apply the file
}

const ERRORS_PAGE = 100;
const shownErrors = { all: [], found: [], offset: 0 };

function pageErrors() {
  const { found, offset } = shownErrors;
  fillTable($('error-table'), found.slice(offset, offset + ERRORS_PAGE).map((e) => [
    e.details.row_number, e.details.line, e.details.column, e.message]));
  const last = Math.min(offset + ERRORS_PAGE, found.length);
  $('errors-range').textContent = found.length ? `${offset + 1}–${last} of ${found.length}`
    : 'no error mentions that';
  $('errors-prev').disabled = offset === 0;
  $('errors-next').disabled = last >= found.length;
}

function filterErrors() {
  const words = $('error-filter').value.trim().toLowerCase();
  shownErrors.found = words ? shownErrors.all.filter((e) => [e.details.row_number,
    e.details.column, e.message].join(' ').toLowerCase().includes(words)) : shownErrors.all;
  shownErrors.offset = 0;
  pageErrors();
}

function setDownload(link, content) {
  link.hidden = content === null;
  if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
  // the spreadsheet form: a byte order mark (Excel on Windows then reads UTF-8), formula-like
  // cells escaped
  if (content !== null) {
    link.href = URL.createObjectURL(new Blob(['\ufeff' + content], { type: 'text/csv' }));
  }
}

function showErrors(errors, summary) {
  const job = currentJob();
  shownErrors.all = errors;
  $('error-filter').value = '';
  filterErrors();
  // the same problem on many rows reads as one line with a count (the server counts them all)
  const groups = summary ? summary.by_column : [];
  fillTable($('error-groups'), groups.map((g) => [g.column || '(the file)',
    g.code.replace(/_/g, ' '), g.count]));
  $('error-groups').hidden = groups.length < 2;
  const total = summary ? summary.total : errors.length;
  $('error-count').textContent = plural(total, 'problem') +
    (summary && summary.rows ? ` in ${plural(summary.rows, 'row')}` : '');
  const capped = summary && summary.more > 0;
  $('errors-cap').hidden = !capped;
  $('errors-cap').textContent = capped ? `The first ${summary.shown.toLocaleString('en')} ` +
    'are listed below; the whole file marks every failing row, those past the list included.' : '';
  setDownload($('download-all'), annotated(job, errors, summary, false));
  setDownload($('download-errors'), annotated(job, errors, summary, true));
  state.records = job.records;
  $('errors').hidden = false;
  setStatus(`${state.file.name} has errors: fix them and choose the file again.`, 'bad');
  if (errors.some((e) => e.details.code === 'encoding')) {
    setStatus(`${state.file.name} cannot be read as ${CHARSET_NAMES[state.charset]}: choose ` +
      'how it was saved under "Read as" (the file is checked again).', 'bad');
  }
  $('error-table').focus();
}

// A gateway's answers (the server itself never gives them): the job may have been done.
const LOST = [502, 504];

async function apply(again = false) {
  // Ask again sends what was sent, whatever was chosen since
  const job = again ? state.sent : currentJob();
  if (!job || !job.file || state.busy) return;
  if (job.kept === false) {  // found again without its text: it cannot be sent again
    setStatus(`Choose ${job.file.name} again to send it.`, 'bad');
    return;
  }
  const mode = MODES[job.mode];
  // an update changes users that exist: say how many, and let the admin step back
  if (!again && job.mode === 'update' && !window.confirm(`Update ${job.confirm}? This ` +
      'changes them now; an export first keeps a copy of how they are.')) return;
  state.sent = job;
  lock(true);
  $('ask-again').hidden = true;
  working(true);  // cancel only while the job reads or checks: once it writes, it is applied
  setStatus(again ? `Asking what became of ${job.file.name}…` : `Applying ${job.file.name}…`);
  const options = { key: job.key, charset: job.charset };
  // Ask again is answered at once (the server replays what the key did, and says so)
  const answer = again ? await request(mode.method, API.import, job.file, options)
    : await sendAsJob(mode.method, API.import, job.file, options, { mode: job.mode,
      dry: false, name: job.file.name, key: job.key, charset: job.charset, text: job.text });
  state.job = null;
  working(false);
  lock(false);
  await applied(answer, job);
}

async function applied(answer, job) {
  const mode = MODES[job.mode];
  markSeen(answer);
  if (await refused(answer, answer.polled ? ACTIONS.jobs : ACTIONS[job.mode])) return;
  $('summary').hidden = true;
  setStatus('');  // "Applying…" is over, whatever the answer
  const result = $('result');
  if (answer.aborted) {
    result.textContent = `The ${job.mode} of ${job.file.name} was cancelled before it wrote ` +
      'anything: nothing was written.';
    result.className = '';
  } else if ((answer.status === 201 || answer.status === 200) && answer.json) {
    const entries = answer.json[mode.key];
    let listed = entries;
    if (job.mode === 'update' && answer.json.summary) {
      const { updated, unchanged } = answer.json.summary.users;
      result.textContent = `Done: ${plural(updated, 'user')} updated` +
        (unchanged ? `, ${unchanged} unchanged.` : '.');
      changesTable(job, entries);  // what was changed, user by user
      listed = entries.filter((entry) => entry.outcome === 'updated');  // not the unchanged
    } else {
      result.textContent = `Done: ${plural(entries.length, 'user')} ${mode.verb}.`;
    }
    showWarnings(answer.json.warnings);
    // who they are now, with what was generated for them (SIP accounts, provisioning codes)
    if (listed.length) {
      const made = listed.map((entry) => entry.user_uuid).slice(0, 1000);
      $('user-search').value = '';
      listUsers({ uuids: made, note: `The users ${mode.verb} by ${job.file.name}` +
        (listed.length > made.length ? ' (the first 1,000)' : '') + ':' });
    }
    if (answer.xhr.getResponseHeader('Idempotent-Replayed') === 'true') {
      result.textContent += ' It had been applied already (once): this is what it did then.';
    }
    result.className = 'ok';
  } else if (answer.status === 400 && answer.json && answer.json.errors) {
    showErrors(answer.json.errors, answer.json.error_summary);
    return;
  } else if (answer.json && messagesOf(answer.json) && !LOST.includes(answer.status)) {
    // the server's own refusal: its transaction was rolled back
    result.textContent = `Nothing was written: ${messagesOf(answer.json)}`;
    result.className = 'bad';
  } else {
    // no answer, or a proxy's (502, 504): the server may have finished the job all the same
    const said = answer.json && messagesOf(answer.json);
    result.textContent = `The answer about ${job.file.name} was lost (${answer.status
      ? `the server or a proxy answered ${answer.status}${said ? `: ${said}` : ''}`
      : 'the connection failed'}): the ` +
      'file may have been applied. Ask again: the server remembers this file, so it tells ' +
      'what it did and never applies it twice.';
    result.className = 'bad';
    $('ask-again').hidden = false;
    $('ask-again').focus();
  }
  result.hidden = false;
  // Apply went away with the summary: the focus goes to what happened, not to the page's top
  if ($('ask-again').hidden) result.focus();
}

function secretsOmitted(answer) {
  return answer.xhr && answer.xhr.getResponseHeader('Users-Csv-Secrets') === 'omitted';
}

const SECRETS_LEFT_OUT = 'SIP secrets and voicemail passwords were left out: ' +
  `${HOST.session ? 'your account' : 'this token'} may not read them (${SECRETS_ACL}).`;

async function exportUsers() {
  if (state.busy) return;
  $('menu').open = false;
  setStatus('Exporting…');
  // the spreadsheet form: a byte order mark (Excel on Windows then reads UTF-8), formula-like
  // cells escaped
  const answer = await request('GET', `${API.export}?spreadsheet=true`, null, { blob: true });
  if (await refused(answer, ACTIONS.export)) return;
  if (answer.status !== 200) { setStatus(`Export failed: ${await errorMessage(answer)}`, 'bad'); return; }
  download('users.csv', answer.blob);
  setStatus(secretsOmitted(answer) ? `Exported: users.csv. ${SECRETS_LEFT_OUT}`
    : 'Exported: users.csv', 'ok');
}

async function loadColumns() {
  const answer = await request('GET', API.columns);
  if (await refused(answer)) return false;
  if (answer.status !== 200 || !Array.isArray(answer.json)) {
    setStatus(`Columns: ${await errorMessage(answer)}`, 'bad');
    return false;
  }
  const columns = answer.json;
  fillTable($('columns-table'), columns.map((c) => [
    c.name, c.group.replace(/_/g, ' '), c.type, c.required.replace(/_/g, ' '), c.allowed,
    c.description]));
  const link = $('template');
  link.href = URL.createObjectURL(new Blob([columns.map((c) => c.name).join(',') + '\r\n'],
    { type: 'text/csv' }));
  return true;
}

// --- the users: a page of a search (or of the users an import just made), from the export ---

const USERS_PAGE = 50;
const users = { search: '', uuids: null, offset: 0, total: 0, rows: [], seq: 0 };

function userCells(row, secrets) {
  const hidden = (value) => (value && !secrets ? '••••••' : value);
  const number = row.exten ? `${row.exten}@${row.context}` : '';
  return [[row.firstname, row.lastname].filter(Boolean).join(' '), row.email, row.username,
    number, row.line_protocol, row.sip_username, hidden(row.sip_secret), row.provisioning_code];
}

function showUsers() {
  fillTable($('users-table'), users.rows.map((row) => userCells(row, $('show-secrets').checked)));
  const last = users.offset + users.rows.length;
  $('users-range').textContent = users.total
    ? `${users.offset + 1}–${last} of ${users.total.toLocaleString('en')}` : 'no users';
  $('users-prev').disabled = users.offset === 0;
  $('users-next').disabled = last >= users.total;
}

async function loadUsers() {
  const mine = ++users.seq;  // a newer search or page makes this answer stale
  const params = new URLSearchParams({ limit: USERS_PAGE, offset: users.offset });
  if (users.search) params.set('search', users.search);
  if (users.uuids) params.set('uuid', users.uuids.join(','));
  const answer = await request('GET', `${API.export}?${params}`, null, { json: true });
  if (mine !== users.seq) return;
  if (await refused(answer, ACTIONS.list)) return;
  if (answer.status !== 200 || !answer.json || !Array.isArray(answer.json.content)) {
    $('users-note').textContent = `Users: ${await errorMessage(answer)}`;
    return;
  }
  const omitted = secretsOmitted(answer);
  $('secrets-note').hidden = !omitted;
  $('secrets-note').textContent = omitted ? SECRETS_LEFT_OUT : '';
  $('show-secrets').disabled = omitted;
  users.rows = answer.json.content;
  users.total = answer.json.total;
  showUsers();
}

function listUsers({ search = '', uuids = null, note = '' } = {}) {
  users.search = search;
  users.uuids = uuids;
  users.offset = 0;
  $('users-note').textContent = note;
  $('all-users').hidden = uuids === null;
  return loadUsers();
}

// --- the file given back with an error column: whole (fix in place, send it all again) or
// only its failing rows ---------------------------------------------------------------------

function delimiterOf(text) {
  // as the server's reader: `;` when the header names columns with `;` and none with `,`
  const first = text.replace(/^[\r\n\ufeff]+/, '').split('\n', 1)[0];
  return first.includes(';') && !first.includes(',') ? ';' : ',';
}

function parseCsv(text, delimiter = delimiterOf(text)) {
  // Records with the line each starts on; the same rules as the server's reader.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = [];
  let record = [], cell = '', quoted = false, line = 1, start = 1, i = 0;
  const end = () => { record.push(cell); cell = ''; };
  const close = () => { end(); records.push({ line: start, cells: record }); record = []; };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i += 1; continue; }
      if (c === '\n') line += 1;
      cell += c; i += 1; continue;
    }
    if (c === '"') { quoted = true; i += 1; continue; }
    if (c === delimiter) { end(); i += 1; continue; }
    if (c === '\r' || c === '\n') {
      close();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line += 1; start = line; continue;
    }
    cell += c; i += 1;
  }
  if (cell !== '' || record.length) close();
  return records.filter((r) => r.cells.some((value) => value !== ''));
}

function csvLine(cells, delimiter = ',') {
  const quoted = (v) => /["\r\n]/.test(v) || v.includes(delimiter);
  return cells.map((v) => (quoted(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(delimiter);
}

// Is `line` in the runs [[first, last], ...] (sorted)? The answer names every failing row so.
function inRuns(runs, line) {
  let low = 0, high = runs.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (line < runs[middle][0]) high = middle - 1;
    else if (line > runs[middle][1]) low = middle + 1;
    else return true;
  }
  return false;
}

const NOT_LISTED = 'an error past the first ones listed: check the file again once the ' +
  'others are fixed to see it';

function annotated(job, errors, summary, onlyFailing) {
  const byLine = new Map();
  for (const e of errors) {
    if (!e.details.row_number) continue;
    const messages = byLine.get(e.details.line) || [];
    messages.push(e.message);
    byLine.set(e.details.line, messages);
  }
  const runs = (summary && summary.failing_lines) || [];
  if (!byLine.size && !runs.length) return null;
  const delimiter = delimiterOf(job.text);  // written back as the spreadsheet wrote it
  const records = recordsOf(job);
  if (!records.length) return null;
  // a file given back before has its error column: it is refilled, not added twice
  const header = [...records[0].cells];
  let at = header.indexOf('error');
  if (at < 0) { at = header.length; header.push('error'); }
  const lines = [csvLine(header, delimiter)];
  for (const record of records.slice(1)) {
    const messages = byLine.get(record.line);
    const error = messages ? messages.join(' | ') : inRuns(runs, record.line) ? NOT_LISTED : '';
    if (onlyFailing && !error) continue;
    const cells = [...record.cells];
    while (cells.length < at) cells.push('');
    cells[at] = error;
    lines.push(csvLine(cells, delimiter));
  }
  return lines.join('\r\n') + '\r\n';
}

// --- wiring ---------------------------------------------------------------------------------

// Inside wazo-confd a token may act on several tenants: the page says which one it acts on.
// (The standalone host answers none; inside wazo-ui, wazo-ui's own tenant selector decides.)
async function loadTenants() {
  if (HOST.session) {
    $('tenant-name').hidden = !HOST.tenant;
    $('tenant-name').textContent = HOST.tenant ? `Tenant: ${HOST.tenant}` : '';
    return;
  }
  const answer = await request('GET', API.tenants, null, { json: true, tenant: false });
  const items = answer.status === 200 && answer.json ? answer.json.items || [] : [];
  $('tenant-bar').hidden = items.length < 2;
  if (items.length < 2) { sessionStorage.removeItem(TENANT_KEY); return; }
  const select = $('tenant');
  select.replaceChildren(...items.map((item) => {
    const option = document.createElement('option');
    option.value = item.uuid;
    option.textContent = item.name || item.uuid;
    return option;
  }));
  const kept = sessionStorage.getItem(TENANT_KEY);
  select.value = items.some((item) => item.uuid === kept) ? kept : items[0].uuid;
  sessionStorage.setItem(TENANT_KEY, select.value);
}

// The tenant's jobs of the last day (the server keeps them so long), newest first: what was
// checked and applied, from this page or another client.
const SHOWN_JOBS = 10;
const ANSWERS = { 200: 'checked', 201: 'applied', 400: 'refused file' };

async function loadJobs() {
  const answer = await request('GET', API.jobs, null, { json: true });
  if (answer.status !== 200 || !answer.json || !Array.isArray(answer.json.items)) {
    $('jobs-note').textContent = answer.status === 401 ? `${HOST.session ? 'Your account'
      : 'This token'} may not list them (${ACTIONS.jobs.acl}).`
      : `Jobs: ${await errorMessage(answer)}`;
    fillTable($('jobs-table'), []);
    return;
  }
  const items = answer.json.items.slice(0, SHOWN_JOBS);
  $('jobs-note').textContent = items.length ? '' : 'None in the last day.';
  fillTable($('jobs-table'), items.map((job) => [
    new Date(job.created_at).toLocaleString(),
    `${job.verb === 'update' ? 'Update' : 'Import'}${job.dry_run ? ' (check)' : ''}`,
    job.phase + (job.message ? `: ${job.message}` : ''),
    figure(job.counts.rows),
    job.status ? `${job.status} ${ANSWERS[job.status] || ''}`.trim() : '']));
}

// Back on the page (a reload, another page and back): the job it sent last in this tenant,
// running or ended while away, is followed or shown as if the page had never left.
async function resume() {
  const meta = remembered();
  if (!meta || !meta.uuid || sessionStorage.getItem(`${jobKey()}:seen`) === meta.uuid) return;
  const first = await request('GET', `${API.jobs}/${encodeURIComponent(meta.uuid)}`, null,
    { json: true });
  if (first.status !== 200 || !first.json || !first.json.phase) return;
  openFilePanel(meta.mode);
  // the file as it was sent, from its text (already decoded: sent again as UTF-8); without
  // its text (too big to keep), nothing can be sent again: the file is chosen again
  const text = meta.text || '';
  const file = new File([text], meta.name, { type: 'text/csv' });
  const job = { file, key: meta.key, charset: 'utf-8', mode: meta.mode, text, records: null,
    confirm: meta.confirm, kept: meta.text !== null && meta.text !== undefined };
  Object.assign(state, { file, key: meta.key, charset: 'utf-8', text, records: null,
    rows: Math.max(0, (text.match(/\n(?=.)/g) || []).length) });
  $('charset-note').textContent = `${meta.name}: the file of the job sent before`;
  let answer;
  if (ENDED.includes(first.json.phase)) {
    answer = answerOf(first.json);
  } else {
    const mine = ++state.check;  // a file chosen meanwhile makes a check's answer stale
    state.job = meta.uuid;
    working(true);
    if (!meta.dry) lock(true);
    setStatus(meta.dry ? `Checking ${meta.name}…` : `Applying ${meta.name}…`);
    showJob(first.json);
    answer = await follow(meta.uuid, meta.dry ? () => mine !== state.check : undefined);
    if (meta.dry && mine !== state.check) return;
    state.job = null;
    working(false);
    if (!meta.dry) lock(false);
  }
  if (meta.dry) {
    await checked(answer, file);
    if (!job.kept && !$('summary').hidden) {
      $('apply').disabled = true;
      setStatus(`${meta.name} was checked; choose it again to apply it.`);
    }
  } else {
    state.sent = job;
    await applied(answer, job);
  }
}

async function start() {
  if (HOST.session) $('forget-token').hidden = true;  // wazo-ui's own login: no token here
  else if (!token()) { showToken(true); return; }
  showToken(false);
  await loadTenants();
  if (await loadColumns()) {
    setStatus('');
    listUsers();
    resume();
  }
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  $('token').value = '';
  start();
});
$('forget-token').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(TENANT_KEY);
  showToken(true);
});
$('tenant').addEventListener('change', () => {
  sessionStorage.setItem(TENANT_KEY, $('tenant').value);
  $('file-panel').hidden = true;  // a checked file was checked for the other tenant
  setStatus(`Acting on tenant ${$('tenant').selectedOptions[0].textContent}.`);
  listUsers();
});
$('jobs-panel').addEventListener('toggle', () => { if ($('jobs-panel').open) loadJobs(); });
$('menu-import').addEventListener('click', () => openFilePanel('import'));
$('menu-update').addEventListener('click', () => openFilePanel('update'));
$('menu-export').addEventListener('click', exportUsers);
$('apply').addEventListener('click', () => apply());
$('ask-again').addEventListener('click', () => apply(true));
$('charset').addEventListener('change', () => {
  if (state.file) check(state.file, $('charset').value);
});
$('cancel').addEventListener('click', () => {
  if (state.job) cancelJob(state.job);  // the server's job: it stops at its next count
  else if (state.checking) state.checking.abort();  // still sending the file
});
$('error-filter').addEventListener('input', filterErrors);
$('errors-prev').addEventListener('click', () => {
  shownErrors.offset = Math.max(0, shownErrors.offset - ERRORS_PAGE);
  pageErrors();
});
$('errors-next').addEventListener('click', () => { shownErrors.offset += ERRORS_PAGE; pageErrors(); });
// The drop zone works from the keyboard: Enter or Space opens the file chooser.
$('drop-zone').addEventListener('keydown', (e) => {
  if ((e.key === 'Enter' || e.key === ' ') && e.target === $('drop-zone')) {
    e.preventDefault();
    if (!state.busy) $('file').click();
  }
});
let searchTimer = null;
$('user-search').addEventListener('input', () => {
  clearTimeout(searchTimer);  // one request once typing pauses, not one per key
  searchTimer = setTimeout(() => listUsers({ search: $('user-search').value.trim() }), 300);
});
$('user-search').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') { clearTimeout(searchTimer); listUsers({ search: $('user-search').value.trim() }); }
});
$('show-secrets').addEventListener('change', showUsers);
$('all-users').addEventListener('click', () => { $('user-search').value = ''; listUsers(); });
$('users-prev').addEventListener('click', () => {
  users.offset = Math.max(0, users.offset - USERS_PAGE);
  loadUsers();
});
$('users-next').addEventListener('click', () => { users.offset += USERS_PAGE; loadUsers(); });
$('file').addEventListener('change', () => { if ($('file').files[0]) check($('file').files[0]); });
const zone = $('drop-zone');
zone.addEventListener('dragover', (e) => {
  e.preventDefault();
  if (!state.busy) zone.classList.add('over');
});
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', (e) => {
  e.preventDefault();
  zone.classList.remove('over');
  if (e.dataTransfer.files[0]) check(e.dataTransfer.files[0]);  // ignored during Apply
});
document.addEventListener('keydown', (e) => {
  if (!$('menu').open) return;
  if (e.key === 'Escape') {
    $('menu').open = false;
    $('menu').querySelector('summary').focus();  // focus stays where the user was
    return;
  }
  // arrow keys, Home and End move through the menu's items, as in any menu
  const items = [...$('menu').querySelectorAll('[role=menuitem]')];
  const at = items.indexOf(document.activeElement);
  const next = { ArrowDown: at + 1, ArrowUp: (at < 0 ? items.length : at) - 1, Home: 0,
    End: items.length - 1 }[e.key];
  if (next === undefined) return;
  e.preventDefault();
  items[(next + items.length) % items.length].focus();
});
document.addEventListener('click', (e) => {  // a click outside the menu closes it
  if ($('menu').open && !$('menu').contains(e.target)) $('menu').open = false;
});
// A file dropped beside the zone must not replace the page with the file.
for (const name of ['dragover', 'drop']) {
  window.addEventListener(name, (e) => { if (!zone.contains(e.target)) e.preventDefault(); });
}
$('error-table').tabIndex = -1;
start();
})();
