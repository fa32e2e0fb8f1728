'use strict';
// The ops console: talks to the ops JSON API beside this page (./deadletters/groups, ...) and to nothing else.
// Every value from the API is put in the page as text (textContent), never as markup.
(() => {
  const base = new URL('./', location.href);
  // In Azure the page is opened with ?code=<function key>: kept for this tab only, taken out of the address bar, never shown.
  const params = new URLSearchParams(location.search);
  if (params.has('code')) {
    sessionStorage.setItem('ops-key', params.get('code'));
    params.delete('code');
    history.replaceState(null, '', location.pathname + (params.toString() ? `?${params}` : '') + location.hash);
  }
  const key = sessionStorage.getItem('ops-key');

  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const fmt = (t) => t ? new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/:00Z$/, 'Z') : '–';
  const ago = (t) => {
    if (!t) return '';
    const s = Math.round((Date.now() - new Date(t).getTime()) / 1000);
    const a = Math.abs(s);
    if (s < 0 && a < 60) return 'just now'; // clocks a few seconds apart
    const text = a < 90 ? `${a} s` : a < 5400 ? `${Math.round(a / 60)} min` : a < 172800 ? `${Math.round(a / 3600)} h` : `${Math.round(a / 86400)} days`;
    return s >= 0 ? `${text} ago` : `in ${text}`;
  };
  const items = (answer) => Array.isArray(answer) ? answer : (answer && answer.items) || [];

  function say(text, kind) {
    const status = $('status');
    status.textContent = text || '';
    status.className = text ? (kind || 'info') : '';
  }

  async function api(method, path, body, signal) {
    const headers = { 'Accept': 'application/json', 'X-Ops-Console': '1' };
    if (key) headers['x-functions-key'] = key;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(new URL(path, base), {
      method, headers, signal, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!response.ok) {
      const error = new Error(json && json.error ? `${response.status}: ${json.error}` : `HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return json;
  }
  const query = (path, values) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    return s ? `${path}?${s}` : path;
  };
  async function guarded(work) {
    try { return await work(); } catch (e) { if (e.name !== 'AbortError') say(e.message, 'error'); return undefined; }
  }

  // ---- tabs ----
  const tabs = [...document.querySelectorAll('[role=tab]')];
  const loaders = {};
  function show(view, focus) {
    for (const tab of tabs) {
      const selected = tab.dataset.view === view;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      $(tab.getAttribute('aria-controls')).hidden = !selected;
      if (selected && focus) tab.focus();
    }
    if (location.hash !== `#${view}`) history.replaceState(null, '', `#${view}`);
    say('');
    loaders[view]();
  }
  for (const tab of tabs) {
    tab.addEventListener('click', () => show(tab.dataset.view));
    tab.addEventListener('keydown', (e) => {
      const i = tabs.indexOf(tab);
      const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length]
        : e.key === 'Home' ? tabs[0] : e.key === 'End' ? tabs[tabs.length - 1] : null;
      if (next) { e.preventDefault(); show(next.dataset.view, true); }
    });
  }

  // ---- confirmation dialog: a question, optional fields, then the work with progress and cancel ----
  function confirmDialog({ title, text, fields = [], go, run }) {
    const dialog = $('confirm');
    $('confirm-title').textContent = title;
    $('confirm-text').textContent = text;
    const box = $('confirm-fields');
    box.replaceChildren(...fields.map((f) => el('div', { class: 'field' },
      el('label', { for: `field-${f.name}` }, f.label),
      el('input', { id: `field-${f.name}`, name: f.name, type: f.type || 'text', inputmode: f.inputmode, value: f.value ?? '', placeholder: f.placeholder, min: f.min, step: f.step, maxlength: f.maxlength }))));
    $('confirm-progress').hidden = true;
    const goButton = $('confirm-go');
    const cancelButton = $('confirm-cancel');
    goButton.textContent = go;
    goButton.disabled = false;
    goButton.hidden = false;
    cancelButton.textContent = 'Cancel';
    let controller = null;
    let finished = false;
    const close = () => { if (controller) controller.abort(); dialog.close(); };
    cancelButton.onclick = close;
    dialog.oncancel = (e) => { if (controller && !finished) { e.preventDefault(); controller.abort(); } };
    goButton.onclick = async () => {
      const values = Object.fromEntries(fields.map((f) => [f.name, $(`field-${f.name}`).value.trim()]));
      goButton.disabled = true;
      for (const input of box.querySelectorAll('input')) input.disabled = true;
      controller = new AbortController();
      $('confirm-progress').hidden = false;
      const progress = (done, total, line) => {
        const bar = $('confirm-bar');
        bar.max = Math.max(total, 1);
        bar.value = Math.min(done, bar.max);
        $('confirm-progress-text').textContent = line;
      };
      try {
        await run(values, controller.signal, progress);
      } catch (e) {
        $('confirm-progress-text').textContent = e.name === 'AbortError' ? 'Cancelled.' : e.message;
      }
      finished = true;
      controller = null;
      goButton.hidden = true;
      cancelButton.textContent = 'Close';
      cancelButton.focus();
    };
    dialog.showModal();
    (box.querySelector('input') || goButton).focus();
  }
  const number = (text, name, integer) => {
    if (text === '') return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`${name}: expected a positive ${integer ? 'whole ' : ''}number`);
    return n;
  };

  // ---- dead-letters ----
  let selectedGroup = null;
  loaders.deadletters = () => guarded(async () => {
    const groups = await api('GET', query('deadletters/groups', { since: $('dl-since').value }));
    const body = $('dl-groups').querySelector('tbody');
    body.replaceChildren(...groups.map((g) => el('tr', { class: g.fingerprint === selectedGroup ? 'selected' : null, 'data-fingerprint': g.fingerprint },
      el('td', {}, g.reason),
      el('td', {}, g.httpStatus ?? '–'),
      el('td', {}, g.errorCode ?? '–'),
      el('td', { class: 'num' }, g.count),
      el('td', { title: fmt(g.firstAt) }, ago(g.firstAt)),
      el('td', { title: fmt(g.lastAt) }, ago(g.lastAt)),
      el('td', {}, el('code', {}, g.fingerprint)),
      el('td', { class: 'actions' },
        el('button', { type: 'button', 'aria-label': `Messages of ${g.fingerprint}`, onclick: () => showMessages(g) }, 'Messages'),
        el('button', { type: 'button', 'aria-label': `Redrive ${g.fingerprint}`, onclick: () => redrive(g) }, 'Redrive…'),
        el('button', { type: 'button', 'aria-label': `Discard ${g.fingerprint}`, onclick: () => discard(g) }, 'Discard…')))));
    $('dl-groups').hidden = groups.length === 0;
    $('dl-empty').hidden = groups.length > 0;
    if (selectedGroup && !groups.some((g) => g.fingerprint === selectedGroup)) { selectedGroup = null; $('dl-messages').hidden = true; }
  });
  $('dl-refresh').addEventListener('click', () => loaders.deadletters());
  $('dl-since').addEventListener('change', () => loaders.deadletters());

  async function showMessages(group) {
    selectedGroup = group.fingerprint;
    await guarded(async () => {
      const answer = await api('GET', query('deadletters', { fingerprint: group.fingerprint, bodies: 'true', max: 50 }));
      const list = items(answer);
      $('dl-messages-title').textContent = `Messages of ${group.reason}${group.httpStatus ? ` (HTTP ${group.httpStatus})` : ''}: ${list.length}${answer && answer.next ? ' shown, more exist' : ''}`;
      $('dl-message-list').replaceChildren(...list.map(messageCard));
      $('dl-messages').hidden = false;
      for (const row of $('dl-groups').querySelectorAll('tbody tr')) row.classList.toggle('selected', row.dataset.fingerprint === group.fingerprint);
      $('dl-messages-title').scrollIntoView({ block: 'nearest' });
    });
  }
  function messageCard(m) {
    const facts = [
      ['Message id', el('code', {}, m.messageId)], ['Reason', m.reason], ['Description', m.description || '–'],
      ['HTTP status', m.httpStatus ?? '–'], ['Partner error code', m.partnerErrorCode ?? '–'], ['Partner request id', m.partnerRequestId ? el('code', {}, m.partnerRequestId) : '–'],
      ['Attempts', m.attempts], ['Redriven', `${m.redriveCount} time(s)`], ['Task uid', m.taskUid ? el('code', {}, m.taskUid) : '–'],
      ['First failure', fmt(m.firstFailureAt)], ['Last failure', fmt(m.lastFailureAt)], ['Dead-lettered', fmt(m.failedAt)],
    ];
    return el('article', { class: 'message', 'aria-label': `Dead-letter ${m.messageId}` },
      el('dl', {}, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      m.partnerErrorBody ? [el('h4', {}, 'Partner answer'), el('pre', {}, m.partnerErrorBody)] : null,
      m.body !== undefined && m.body !== null ? [el('h4', {}, 'Body'), el('pre', {}, typeof m.body === 'string' ? m.body : JSON.stringify(m.body, null, 2))] : null,
      m.properties ? [el('h4', {}, 'Properties'), el('pre', {}, JSON.stringify(m.properties, null, 2))] : null);
  }

  async function redrive(group) {
    const filter = { fingerprints: [group.fingerprint] };
    const dry = await guarded(() => api('POST', 'deadletters/redrive', { ...filter, dryRun: true }));
    if (!dry) return;
    const would = dry.counts.moved;
    confirmDialog({
      title: `Redrive ${group.reason}${group.httpStatus ? ` (HTTP ${group.httpStatus})` : ''}`,
      text: `Dry run: ${would} message(s) would be sent back to the task queue` + (dry.counts.loopGuarded ? `, ${dry.counts.loopGuarded} loop-guarded would stay.` : '.'),
      fields: [
        { name: 'rate', label: 'Rate (messages per second; empty: the app\'s default)', inputmode: 'decimal', placeholder: '0.5' },
        { name: 'max', label: 'At most (messages; empty: all of them)', inputmode: 'numeric' },
      ],
      go: `Redrive ${would} message(s)`,
      run: async (values, signal, progress) => {
        const rate = number(values.rate, 'Rate');
        const max = number(values.max, 'At most', true);
        const total = Math.min(would, max ?? would);
        const slice = Math.max(1, Math.ceil((rate ?? 0.5) * 5)); // about 5 s a call: progress and cancel between calls
        let moved = 0; let guarded = 0; let pass;
        progress(0, total, `Sending… 0 of ${total}`);
        while (moved < total) {
          const result = await api('POST', 'deadletters/redrive', { ...filter, messagesPerSecond: rate, maxMessages: Math.min(slice, total - moved), pass }, signal);
          pass = result.pass;
          moved += result.counts.moved;
          guarded += result.counts.loopGuarded;
          progress(moved, total, `Sent ${moved} of ${total}` + (guarded ? `, ${guarded} loop-guarded` : ''));
          if (result.error) throw new Error(`Stopped: ${result.error}`);
          if (result.counts.moved === 0 || !result.reachedMaximum) break;
        }
        progress(moved, total, `Done: ${moved} sent back to the task queue` + (guarded ? `, ${guarded} loop-guarded stayed dead-lettered` : '') + '.');
        say(`Redrive: ${moved} message(s) sent back.`);
        loaders.deadletters();
      },
    });
  }

  async function discard(group) {
    const filter = { fingerprints: [group.fingerprint] };
    const dry = await guarded(() => api('POST', 'deadletters/discard', { ...filter, dryRun: true }));
    if (!dry) return;
    confirmDialog({
      title: `Discard ${group.reason}${group.httpStatus ? ` (HTTP ${group.httpStatus})` : ''}`,
      text: `Dry run: ${dry.discarded} message(s) would be archived and removed from the dead-letters. They can be restored from the Archive view.`,
      fields: [{ name: 'note', label: 'Why (kept with each archived message)', maxlength: 500 }],
      go: `Discard ${dry.discarded} message(s)`,
      run: async (values, signal, progress) => {
        progress(0, dry.discarded, 'Archiving…');
        const result = await api('POST', 'deadletters/discard', { ...filter, note: values.note || undefined }, signal);
        progress(result.discarded, dry.discarded, `Done: ${result.discarded} archived and removed` + (result.error ? `; failed: ${result.error}` : '') + '.');
        say(`Discard: ${result.discarded} message(s) archived.`);
        loaders.deadletters();
      },
    });
  }

  // ---- archive ----
  loaders.archive = () => guarded(async () => {
    const list = items(await api('GET', query('deadletters/archived', { max: 100 })));
    $('ar-list').querySelector('tbody').replaceChildren(...list.map((a) => el('tr', {},
      el('td', { title: fmt(a.archivedAt) }, ago(a.archivedAt)),
      el('td', {}, a.archivedBy),
      el('td', {}, el('code', {}, a.deadLetter.messageId)),
      el('td', {}, a.deadLetter.reason),
      el('td', {}, a.deadLetter.httpStatus ?? '–'),
      el('td', {}, a.note ?? ''),
      el('td', { class: 'actions' }, el('button', { type: 'button', 'aria-label': `Restore ${a.deadLetter.messageId}`, onclick: () => restore(a) }, 'Restore…')))));
    $('ar-list').hidden = list.length === 0;
    $('ar-empty').hidden = list.length > 0;
  });
  $('ar-refresh').addEventListener('click', () => loaders.archive());
  async function restore(entry) {
    const filter = { messageIds: [entry.deadLetter.messageId] };
    const dry = await guarded(() => api('POST', 'deadletters/archived/restore', { ...filter, dryRun: true }));
    if (!dry) return;
    confirmDialog({
      title: `Restore ${entry.deadLetter.messageId}`,
      text: `Dry run: ${dry.counts.moved} archived message(s) would be sent back to the task queue` + (dry.counts.loopGuarded ? `, ${dry.counts.loopGuarded} kept by the loop guard.` : '.'),
      go: `Restore ${dry.counts.moved} message(s)`,
      run: async (values, signal, progress) => {
        const result = await api('POST', 'deadletters/archived/restore', filter, signal);
        progress(result.counts.moved, dry.counts.moved, `Done: ${result.counts.moved} sent back and removed from the archive` + (result.error ? `; failed: ${result.error}` : '') + '.');
        loaders.archive();
      },
    });
  }

  // ---- imports ----
  const statusOrder = ['outcome_unknown', 'poisoned', 'failed', 'rejected', 'retrying', 'succeeded_with_row_errors', 'succeeded'];
  const statusTitle = { outcome_unknown: 'Held: outcome unknown (an answer was lost)', poisoned: 'Poisoned', failed: 'Failed', rejected: 'Rejected (never sent)', retrying: 'Retrying', succeeded_with_row_errors: 'Succeeded with row errors', succeeded: 'Succeeded' };
  loaders.imports = () => guarded(async () => {
    const list = items(await api('GET', query('imports', { status: $('im-status').value, since: $('im-since').value, max: 200 })));
    const byStatus = new Map();
    for (const i of list) byStatus.set(i.status, [...(byStatus.get(i.status) || []), i]);
    const order = [...statusOrder, ...[...byStatus.keys()].filter((s) => !statusOrder.includes(s))];
    $('im-groups').replaceChildren(...order.filter((s) => byStatus.has(s)).map((s) => el('section', { class: 'import-group', 'aria-label': statusTitle[s] || s },
      el('h3', {}, `${statusTitle[s] || s}: ${byStatus.get(s).length}`),
      el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, ['File', 'Attempts', 'Partner status', 'Partner request id', 'Updated', 'Actions'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, byStatus.get(s).map((i) => el('tr', {},
          el('td', {}, el('code', {}, i.blob)),
          el('td', { class: 'num' }, i.attempts),
          el('td', {}, i.partnerStatus ?? '–'),
          el('td', {}, i.partnerRequestId ? el('code', {}, i.partnerRequestId) : '–'),
          el('td', { title: fmt(i.updatedAt) }, ago(i.updatedAt)),
          el('td', { class: 'actions' },
            el('button', { type: 'button', 'aria-label': `Report of ${i.blob}`, onclick: () => showReport(i) }, 'Report'),
            el('button', { type: 'button', 'aria-label': `Reimport ${i.blob}`, onclick: () => reimport(i) }, 'Reimport…')))))))));
    $('im-empty').hidden = list.length > 0;
  });
  $('im-refresh').addEventListener('click', () => loaders.imports());
  $('im-status').addEventListener('change', () => loaders.imports());
  $('im-since').addEventListener('change', () => loaders.imports());

  async function showReport(i) {
    await guarded(async () => {
      const r = await api('GET', query('imports/report', { blob: i.blob }));
      const out = [];
      if (!r) {
        out.push(el('p', {}, 'No report was written for this file yet.'));
      } else {
        const facts = [['Status', el('span', { class: `badge ${/failed|poisoned|rejected/.test(r.status) ? 'bad' : r.status === 'outcome_unknown' ? 'warn' : 'ok'}` }, r.status)], ['At', fmt(r.at)],
          ['Customer', r.customerId ?? '–'], ['Sheet', r.sheet ?? '–'], ['Rows', r.rows ?? '–'], ['Bytes', r.bytes ?? '–'], ['Parts', (r.parts || []).length]];
        if (r.rejection) facts.push(['Rejection', `${r.rejection.code}: ${r.rejection.message}`]);
        if (r.partner) facts.push(['Partner answer', `HTTP ${r.partner.status ?? 'none'} at ${fmt(r.partner.at)}, request id ${r.partner.requestId ?? 'none'}${r.partner.transportFailure ? `, ${r.partner.transportFailure}` : ''}`]);
        if (r.willBeRetried) facts.push(['Next', 'another run will try again']);
        out.push(el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
        if (r.partner && r.partner.body) out.push(el('h4', {}, 'Partner body (redacted)'), el('pre', {}, r.partner.body));
        if (r.answerLost) {
          out.push(el('div', { class: 'callout', role: 'note', 'aria-label': 'What to check in Dragonfruit' },
            el('h4', {}, 'What to check in Dragonfruit'),
            el('p', {}, r.answerLost.whatToDo),
            el('p', { class: 'hint' }, `Part ${r.answerLost.part}, body sent ${fmt(r.answerLost.bodySentAt)}: ${r.answerLost.failure}`)));
          if (i.status === 'outcome_unknown') {
            out.push(el('div', { class: 'actions' },
              el('button', { type: 'button', class: 'danger', onclick: () => resolve(i, true) }, 'It arrived: go on'),
              ' ',
              el('button', { type: 'button', onclick: () => resolve(i, false) }, 'It did not arrive: send it again')));
          }
        }
        const errors = r.rowErrors || [];
        if (errors.length) {
          out.push(el('h4', {}, `Row errors: ${errors.length}${r.rowErrorsOmitted ? ` (+${r.rowErrorsOmitted} not listed)` : ''}`),
            el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, ['Source row', 'Sheet', 'Message'].map((h) => el('th', { scope: 'col' }, h)))),
              el('tbody', {}, errors.slice(0, 50).map((e) => el('tr', {}, el('td', { class: 'num' }, e.sourceRow ?? '–'), el('td', {}, e.sheet), el('td', {}, e.message))))));
        }
      }
      $('im-report-title').textContent = `Report of ${i.blob}`;
      $('im-report-body').replaceChildren(...out);
      $('im-report').hidden = false;
      $('im-report-title').scrollIntoView({ block: 'nearest' });
    });
  }
  function resolve(i, arrived) {
    confirmDialog({
      title: arrived ? `${i.blob}: it arrived` : `${i.blob}: it did not arrive`,
      text: arrived ? 'The held part is taken as received by Dragonfruit (its row errors stay unknown); the import goes on from the next part.'
        : 'The held part is sent to Dragonfruit again, then the import goes on.',
      go: arrived ? 'Resolve: it arrived' : 'Resolve: send it again',
      run: async (values, signal, progress) => {
        const outcome = await api('POST', 'imports/resolve', { blob: i.blob, arrived }, signal);
        progress(1, 1, `Done: the import is now ${outcome.status ?? 'updated'}.`);
        loaders.imports();
      },
    });
  }
  function reimport(i) {
    confirmDialog({
      title: `Reimport ${i.blob}`,
      text: 'The file\'s current version is imported again from the start, whatever the ledger says.',
      go: 'Reimport',
      run: async (values, signal, progress) => {
        const outcome = await api('POST', 'imports/reimport', { blob: i.blob }, signal);
        progress(1, 1, `Done: the import is now ${outcome.status ?? 'updated'}.`);
        loaders.imports();
      },
    });
  }

  // ---- Fragment budget ----
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = (tag, attrs, ...children) => {
    const node = document.createElementNS(svgNs, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  };
  loaders.budget = () => guarded(async () => {
    const window = $('bu-window').value;
    const data = await api('GET', query('requests/minutes', { since: window }));
    const since = new Date(data.since).getTime();
    const until = new Date(data.until).getTime();
    const first = Math.floor(since / 60000);
    const count = Math.max(1, Math.floor(until / 60000) - first + 1);
    const minutes = new Array(count).fill(null);
    for (const m of data.minutes) {
      const i = Math.floor(new Date(m.minute).getTime() / 60000) - first;
      if (i >= 0 && i < count) minutes[i] = m;
    }
    const peak = data.minutes.reduce((p, m) => Math.max(p, m.requests), 0);
    const over = data.minutes.filter((m) => m.requests > data.limit).length;
    $('bu-summary').replaceChildren(
      el('strong', {}, `${data.requests} request(s)`), ` in the ${window === '1h' ? 'last hour' : 'last day'}; peak ${peak}/min against the budget of ${data.limit}/min`,
      over ? el('span', { class: 'badge bad' }, ` ${over} minute(s) over`) : '', '; ',
      el('span', { class: data.throttled ? 'badge warn' : 'badge' }, `${data.throttled} × 429`), ' ',
      el('span', { class: data.serverErrors ? 'badge bad' : 'badge' }, `${data.serverErrors} × 5xx`));
    const backlog = data.backlog || { unknown: 'not reported' };
    $('bu-backlog').replaceChildren(
      el('strong', {}, 'Task backlog: '),
      backlog.unknown ? `${backlog.unknown}.` : `${backlog.waiting} message(s) in the task queue, ${backlog.deadLettered} dead-lettered (now, approximate).`);

    const W = 1200; const H = 300; const left = 44; const right = 12; const top = 14; const bottom = 28;
    const plotW = W - left - right; const plotH = H - top - bottom;
    const yMax = Math.max(Math.ceil(data.limit * 1.25), peak + 2);
    const y = (v) => top + plotH - (v / yMax) * plotH;
    const step = plotW / count;
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'bu-chart-title', id: 'bu-svg' });
    chart.append(svg('title', { id: 'bu-chart-title' }, `Fragment requests per minute, ${window === '1h' ? 'last hour' : 'last day'}: ${data.requests} requests, peak ${peak} per minute, budget ${data.limit} per minute, ${data.throttled} answered 429, ${data.serverErrors} answered 5xx`));
    for (const v of [0, Math.round(data.limit / 2), data.limit, yMax].filter((v, i, a) => a.indexOf(v) === i)) {
      chart.append(svg('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), stroke: '#eaeef2' }));
      chart.append(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, v));
    }
    const tickEvery = window === '1h' ? 10 : 180;
    for (let i = 0; i < count; i++) {
      const minute = (first + i) * 60000;
      if (new Date(minute).getUTCMinutes() % Math.min(tickEvery, 60) === 0 && (tickEvery < 60 || new Date(minute).getUTCHours() % (tickEvery / 60) === 0)) {
        const x = left + i * step;
        chart.append(svg('line', { x1: x, x2: x, y1: top + plotH, y2: top + plotH + 4, stroke: '#8c959f' }));
        chart.append(svg('text', { x, y: H - 8, 'text-anchor': 'middle' }, new Date(minute).toISOString().slice(11, 16)));
      }
      const m = minutes[i];
      if (!m) continue;
      const x = left + i * step + (step > 3 ? 1 : 0);
      const w = Math.max(1, step > 3 ? step - 2 : step);
      const g = svg('g', { class: 'minute', 'data-minute': m.minute, 'data-requests': m.requests, 'data-throttled': m.throttled, 'data-server-errors': m.serverErrors });
      g.append(svg('title', {}, `${new Date(m.minute).toISOString().slice(11, 16)} UTC: ${m.requests} request(s), ${m.throttled} × 429, ${m.serverErrors} × 5xx`));
      g.append(svg('rect', { x, y: y(m.requests), width: w, height: plotH - (y(m.requests) - top), fill: '#4f83cc' }));
      let base = top + plotH;
      for (const [n, color] of [[m.throttled, '#f79009'], [m.serverErrors, '#d92d20']]) {
        if (!n) continue;
        const h = (n / yMax) * plotH;
        g.append(svg('rect', { x, y: base - h, width: w, height: h, fill: color }));
        base -= h;
        g.append(svg('path', { d: `M${x + w / 2 - 5} ${top - 2} l10 0 l-5 8 z`, fill: color }));
      }
      chart.append(g);
    }
    chart.append(svg('line', { x1: left, x2: W - right, y1: y(data.limit), y2: y(data.limit), stroke: '#b42318', 'stroke-width': 2, 'stroke-dasharray': '8 5' }));
    chart.append(svg('text', { x: W - right - 4, y: y(data.limit) - 6, 'text-anchor': 'end', fill: '#b42318' }, `budget ${data.limit}/min`));
    chart.append(svg('line', { x1: left, x2: W - right, y1: top + plotH, y2: top + plotH, stroke: '#8c959f' }));
    $('bu-chart').replaceChildren(chart);
    $('bu-table').querySelector('tbody').replaceChildren(...data.minutes.map((m) => el('tr', {},
      el('td', {}, fmt(m.minute)), el('td', { class: 'num' }, m.requests), el('td', { class: 'num' }, m.throttled), el('td', { class: 'num' }, m.serverErrors), el('td', { class: 'num' }, m.noAnswer))));
  });
  $('bu-refresh').addEventListener('click', () => loaders.budget());
  $('bu-window').addEventListener('change', () => loaders.budget());

  // ---- tokens ----
  loaders.tokens = () => guarded(async () => {
    const t = await api('GET', 'tokens');
    const state = { valid: ['ok', 'valid'], 'refresh-due': ['warn', 'refresh due'], expired: ['bad', 'expired'], missing: ['bad', 'missing'] }[t.bearerState] || ['', t.bearerState];
    const facts = [
      ['Bearer secret', el('code', {}, t.bearerSecretName)],
      ['State', el('span', { class: `badge ${state[0]}` }, state[1])],
      ['Expires', t.bearerExpiresOn ? `${fmt(t.bearerExpiresOn)} (${ago(t.bearerExpiresOn)})` : '–'],
      ['Last refresh', t.lastRefreshAt ? `${fmt(t.lastRefreshAt)} (${ago(t.lastRefreshAt)})` : 'none recorded'],
      ['Last check', t.lastAttemptAt ? `${fmt(t.lastAttemptAt)} (${ago(t.lastAttemptAt)}): ${t.lastOutcome}` : 'none recorded'],
      ['Last failure', t.lastFailureAt ? el('span', {}, el('span', { class: 'badge bad' }, `${fmt(t.lastFailureAt)} (${ago(t.lastFailureAt)})`), ' ', t.lastFailure) : 'none recorded'],
    ];
    $('tk-status').replaceChildren(...facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]).flat());
  });
  $('tk-refresh').addEventListener('click', () => loaders.tokens());

  const initial = location.hash.slice(1);
  show(tabs.some((t) => t.dataset.view === initial) ? initial : 'deadletters');
})();
