'use strict';
// All API calls are relative to this page (<prefix>/1.1/users/csv/), so the page works the same
// behind confd's reverse proxy as on the standalone host.
const API = { import: '../import', export: '../export', columns: '../import/columns',
  tenants: '../import/tenants' };
const TOKEN_KEY = 'users-csv-token';
const TENANT_KEY = 'users-csv-tenant';  // inside wazo-confd: the tenant the page acts on
const MODES = {
  import: { title: 'Import a file', method: 'POST', key: 'created', verb: 'created' },
  update: { title: 'Update from file', method: 'PUT', key: 'updated', verb: 'updated' },
};
const state = { mode: 'import', file: null, text: '', check: 0 };
const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;
const $ = (id) => document.getElementById(id);

function token() { return sessionStorage.getItem(TOKEN_KEY); }

function setStatus(message, kind) {
  $('status').textContent = message || '';
  $('status').className = kind || '';
}

function showToken(show) {
  $('token-panel').hidden = !show;
  $('actions').hidden = show;
  $('columns-panel').hidden = show;
  $('users-panel').hidden = show;
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
function request(method, url, body,
  { blob = false, key = null, json = false, started = null, tenant = true } = {}) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    if (started) started(xhr);  // the caller may abort it
    xhr.open(method, url);
    xhr.setRequestHeader('X-Auth-Token', token() || '');
    const chosen = tenant && sessionStorage.getItem(TENANT_KEY);
    if (chosen) xhr.setRequestHeader('Wazo-Tenant', chosen);
    if (json) xhr.setRequestHeader('Accept', 'application/json');
    // the file goes as it is, in the charset the administrator says it was saved in
    if (body) xhr.setRequestHeader('Content-Type', `text/csv; charset=${$('charset').value}`);
    if (key) xhr.setRequestHeader('Idempotency-Key', key);
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
  // {"errors": [...]} (ours), or confd's list of strings (its 401s)
  if (Array.isArray(body)) return body.join('; ');
  if (body && body.errors) return body.errors.map((e) => e.message).join('; ');
  return null;
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

async function refused(answer, action) {
  if (answer.status !== 401) return false;
  const message = await errorMessage(answer);
  if (action) {  // refused for one action: is the token itself still good (the columns)?
    const probe = await request('GET', API.columns);
    if (probe.status === 200) {
      setStatus(`This token may not ${action} (${message}): ask for that right, or log in ` +
        'with another token.', 'bad');
      return true;
    }
  }
  sessionStorage.removeItem(TOKEN_KEY);
  setStatus(`The token was refused: ${message}. Enter another one.`, 'bad');
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

function openFilePanel(mode) {
  state.mode = mode;
  $('menu').open = false;
  $('file-title').textContent = MODES[mode].title;
  $('file-panel').hidden = false;
  for (const id of ['summary', 'errors', 'result', 'changes', 'ask-again']) $(id).hidden = true;
  $('file').value = '';
  setStatus('');
  $('file').focus();
}

function working(show, cancellable = false) {
  $('working').hidden = !show;
  $('cancel').hidden = !cancellable;
  $('progress').removeAttribute('value');
  $('progress-text').textContent = '';
}

async function check(file) {
  const mine = ++state.check;  // a later choice makes this check's answer stale
  if (state.checking) state.checking.abort();  // and the older check needs no answer at all
  state.file = file;
  state.key = newKey();
  state.text = new TextDecoder($('charset').value).decode(await file.arrayBuffer());
  state.rows = Math.max(0, (state.text.match(/\n(?=.)/g) || []).length);  // about: for progress
  $('file').value = '';  // the same file, fixed and chosen again, is checked again
  for (const id of ['summary', 'errors', 'result', 'changes', 'ask-again']) $(id).hidden = true;
  working(true, true);
  setStatus(`Checking ${file.name}…`);
  const answer = await request(MODES[state.mode].method, `${API.import}?dry_run=true`, file,
    { started: (xhr) => { state.checking = xhr; } });
  if (mine !== state.check) return;  // another file was chosen meanwhile: its answer counts
  state.checking = null;
  working(false);
  if (answer.aborted) {
    setStatus(`The check of ${file.name} was cancelled: nothing was written.`);
    return;
  }
  if (await refused(answer, `${state.mode} users`)) return;
  if (answer.status === 200 && answer.json && answer.json.dry_run) {
    showSummary(answer.json);
  } else if (answer.status === 400 && answer.json) {
    showErrors(answer.json.errors, answer.json.error_summary);
  } else {
    setStatus(`${file.name}: ${await errorMessage(answer)}`, 'bad');
  }
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

function resourceTable(summary) {
  const actions = SUMMARY_COLUMNS[state.mode];
  const names = new Set(actions.flatMap(([key]) => Object.keys(summary[key] || {})));
  fillHead($('summary-table'), ['Resource', ...actions.map(([, label]) => label)]);
  fillTable($('summary-table'), [...names].sort().map((name) => [
    name.replace(/_/g, ' '), ...actions.map(([key]) => (summary[key] || {})[name] || 0)]));
  $('summary-table').hidden = names.size === 0;
}

const SHOWN_CHANGES = 500;  // the rest is counted: the answer has every row

function changesTable(entries) {
  // the updated users, named as the file names them, with the columns that change
  const records = parseCsv(state.text);
  const header = records.length ? records[0].cells : [];
  const at = (record, name) => (record && header.includes(name) ? record.cells[header.indexOf(name)] : '');
  const updated = entries.filter((e) => e.outcome === 'updated');
  fillTable($('changes-table'), updated.slice(0, SHOWN_CHANGES).map((e) => {
    const record = records[e.row_number];
    const name = [at(record, 'firstname'), at(record, 'lastname')].filter(Boolean).join(' ');
    return [e.row_number, name || e.user_uuid, e.changed.join(', ')];
  }));
  $('changes-more').textContent = updated.length > SHOWN_CHANGES
    ? `and ${updated.length - SHOWN_CHANGES} more users` : '';
  $('changes').hidden = updated.length === 0;
}


function showSummary(body) {
  const mode = MODES[state.mode];
  const summary = body.summary;
  resourceTable(summary);
  $('changes').hidden = true;
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
    changesTable(body[mode.key]);
  } else {
    $('summary-title').textContent = `${plural(body[mode.key].length, 'user')} will be ${mode.verb}`;
  }
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

function showErrors(errors, summary) {
  shownErrors.all = errors;
  $('error-filter').value = '';
  filterErrors();
  // the same problem on many rows reads as one line with a count (the server counts them all)
  const groups = summary ? summary.by_column : [];
  fillTable($('error-groups'), groups.map((g) => [g.column || '(the file)',
    g.code.replace(/_/g, ' '), g.count]));
  $('error-groups').hidden = groups.length < 2;
  const total = summary ? summary.total : errors.length;
  $('error-count').textContent = `${total} problem${total > 1 ? 's' : ''}` +
    (summary && summary.more ? ` (the first ${summary.shown} are listed)` : '');
  const rows = failingRows(state.text, errors);
  const link = $('download-errors');
  link.hidden = rows === null;
  if (rows !== null) {
    if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob(['\ufeff' + rows], { type: 'text/csv' }));
  }
  $('errors').hidden = false;
  setStatus(`${state.file.name} has errors: fix them and choose the file again.`, 'bad');
  if (errors.some((e) => e.details.code === 'encoding') && $('charset').value === 'utf-8') {
    // the server's hint names the charset to send; on the page, that is the "Saved as" choice
    setStatus(`${state.file.name} is not UTF-8: if a spreadsheet on Windows saved it as plain ` +
      '"CSV", choose "CSV of Excel on Windows" under Saved as (the file is checked again).', 'bad');
  }
  $('error-table').focus();
}

async function apply(again = false) {
  const mode = MODES[state.mode];
  // an update changes users that exist: say how many, and let the admin step back
  if (!again && state.mode === 'update' && !window.confirm(`Update ${state.confirm}? This ` +
      'changes them now; an export first keeps a copy of how they are.')) return;
  $('apply').disabled = true;
  $('ask-again').hidden = true;
  working(true);  // no cancel: once sent, it may be applied
  setStatus(again ? `Asking what became of ${state.file.name}…` : `Applying ${state.file.name}…`);
  const answer = await request(mode.method, API.import, state.file, { key: state.key });
  working(false);
  $('apply').disabled = false;
  if (await refused(answer, `${state.mode} users`)) return;
  $('summary').hidden = true;
  setStatus('');  // "Applying…" is over, whatever the answer
  const result = $('result');
  if ((answer.status === 201 || answer.status === 200) && answer.json) {
    if (state.mode === 'update' && answer.json.summary) {
      const { updated, unchanged } = answer.json.summary.users;
      result.textContent = `Done: ${plural(updated, 'user')} updated` +
        (unchanged ? `, ${unchanged} unchanged.` : '.');
      changesTable(answer.json[mode.key]);  // what was changed, user by user
    } else {
      result.textContent = `Done: ${plural(answer.json[mode.key].length, 'user')} ${mode.verb}.`;
    }
    // who they are now, with what was generated for them (SIP accounts, provisioning codes)
    const made = answer.json[mode.key].map((entry) => entry.user_uuid).slice(0, 1000);
    $('user-search').value = '';
    listUsers({ uuids: made, note: `The users ${mode.verb} by ${state.file.name}` +
      (answer.json[mode.key].length > made.length ? ' (the first 1,000)' : '') + ':' });
    if (answer.xhr.getResponseHeader('Idempotent-Replayed') === 'true') {
      result.textContent += ' It had been applied already (once): this is what it did then.';
    }
    result.className = 'ok';
    setStatus('');
  } else if (answer.status === 400 && answer.json) {
    showErrors(answer.json.errors, answer.json.error_summary);
    return;
  } else if (answer.json && messagesOf(answer.json)) {
    // the server's own refusal: its transaction was rolled back
    result.textContent = `Nothing was written: ${messagesOf(answer.json)}`;
    result.className = 'bad';
  } else {
    // no answer, or a proxy's (502, 504): the server may have finished the job all the same
    result.textContent = `The answer was lost (${answer.status ? `the server or a proxy ` +
      `answered ${answer.status}` : 'the connection failed'}): the file may have been applied. ` +
      'Ask again: the server remembers this file, so it tells what it did and never applies ' +
      'it twice.';
    result.className = 'bad';
    $('ask-again').hidden = false;
    $('ask-again').focus();
  }
  result.hidden = false;
  // Apply went away with the summary: the focus goes to what happened, not to the page's top
  if ($('ask-again').hidden) result.focus();
}

async function exportUsers() {
  $('menu').open = false;
  setStatus('Exporting…');
  // with a byte order mark: Excel on Windows then reads the file as UTF-8
  const answer = await request('GET', `${API.export}?bom=true`, null, { blob: true });
  if (await refused(answer, 'export users')) return;
  if (answer.status !== 200) { setStatus(`Export failed: ${await errorMessage(answer)}`, 'bad'); return; }
  download('users.csv', answer.blob);
  setStatus('Exported: users.csv', 'ok');
}

async function loadColumns() {
  const answer = await request('GET', API.columns);
  if (await refused(answer)) return false;
  if (answer.status !== 200) { setStatus(`Columns: ${await errorMessage(answer)}`, 'bad'); return false; }
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
  if (await refused(answer, 'list users')) return;
  if (answer.status !== 200 || !answer.json) {
    $('users-note').textContent = `Users: ${await errorMessage(answer)}`;
    return;
  }
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

// --- the failing rows of the file, as the administrator wrote them, with an error column ----

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

function failingRows(text, errors) {
  const byLine = new Map();
  for (const e of errors) {
    if (!e.details.row_number) continue;
    const messages = byLine.get(e.details.line) || [];
    messages.push(e.message);
    byLine.set(e.details.line, messages);
  }
  if (!byLine.size) return null;
  const delimiter = delimiterOf(text);  // written back as the spreadsheet wrote it
  const records = parseCsv(text, delimiter);
  if (!records.length) return null;
  const lines = [csvLine([...records[0].cells, 'error'], delimiter)];
  for (const record of records.slice(1)) {
    if (byLine.has(record.line)) {
      lines.push(csvLine([...record.cells, byLine.get(record.line).join(' | ')], delimiter));
    }
  }
  return lines.join('\r\n') + '\r\n';
}

// --- wiring ---------------------------------------------------------------------------------

// Inside wazo-confd a token may act on several tenants: the page says which one it acts on.
// (The standalone host has no such route: no selector.)
async function loadTenants() {
  const answer = await request('GET', API.tenants, null, { json: true, tenant: false });
  const items = answer.status === 200 && answer.json ? answer.json.items : [];
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

async function start() {
  if (!token()) { showToken(true); return; }
  showToken(false);
  await loadTenants();
  if (await loadColumns()) {
    setStatus('');
    listUsers();
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
$('menu-import').addEventListener('click', () => openFilePanel('import'));
$('menu-update').addEventListener('click', () => openFilePanel('update'));
$('menu-export').addEventListener('click', exportUsers);
$('apply').addEventListener('click', () => apply());
$('ask-again').addEventListener('click', () => apply(true));
$('charset').addEventListener('change', () => { if (state.file) check(state.file); });
$('cancel').addEventListener('click', () => { if (state.checking) state.checking.abort(); });
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
    $('file').click();
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
zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', (e) => {
  e.preventDefault();
  zone.classList.remove('over');
  if (e.dataTransfer.files[0]) check(e.dataTransfer.files[0]);
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
