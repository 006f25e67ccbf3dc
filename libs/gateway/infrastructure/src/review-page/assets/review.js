// The reconciliation review page: plain DOM on the gateway's admin API, no build step. The
// operator's key stays in this tab's sessionStorage only; every text from the API is set as text,
// never as HTML (notes are written by people).
'use strict';

const KEY_ITEM = 'rtp-review-key';
const API = '/v1/admin/reconciliation';
const POLL_MS = 1000;
const POLL_TIMES_MAX = 30;
const state = { selected: null, cursor: null, me: null, loads: 0 };

const byId = (id) => document.getElementById(id);
const apiKey = () => sessionStorage.getItem(KEY_ITEM);

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function say(text, ok) {
  const message = byId('message');
  message.textContent = text;
  message.className = ok ? 'ok' : '';
}

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${apiKey()}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = json || {};
    const error = new Error(`${problem.title || response.status}: ${problem.detail || ''}`);
    error.code = problem.code;
    throw error;
  }
  return json;
}

/** Minor units as a decimal amount of the currency (its exponent from Intl). */
function money(amountMinor, currency) {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    // An unknown currency keeps two decimals.
  }
  const text = String(amountMinor).padStart(digits + 1, '0');
  const units = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return `${units} ${currency}`;
}

function age(seconds) {
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

const statusBadge = (status) => element('span', { class: `status ${status}` }, status);

async function loadQueue(append) {
  if (!apiKey()) return;
  const form = new FormData(byId('filters'));
  const query = new URLSearchParams();
  for (const [name, value] of form.entries()) if (value !== '') query.set(name, String(value));
  if (append && state.cursor) query.set('cursor', state.cursor);
  // Only the latest load draws the table: an earlier one answering late (a filter changed
  // meanwhile) is dropped.
  state.loads += 1;
  const load = state.loads;
  const page = await api('GET', `${API}/exceptions?${query}`);
  if (load !== state.loads) return;
  const body = byId('exceptions');
  if (!append) body.replaceChildren();
  for (const exception of page.data) {
    const row = element(
      'tr',
      { 'data-id': exception.id, onclick: () => openException(exception.id) },
      element('td', {}, age(exception.ageSeconds)),
      element('td', {}, exception.class.replaceAll('_', ' ')),
      element('td', {}, statusBadge(exception.status)),
      element('td', {}, exception.partnerId),
      element('td', { class: 'amount' }, money(exception.amountAtRisk, exception.currency)),
      element('td', {}, exception.date),
    );
    if (exception.id === state.selected) row.classList.add('selected');
    body.append(row);
  }
  if (body.children.length === 0) {
    body.append(element('tr', {}, element('td', { colspan: '6' }, 'No exception matches.')));
  }
  state.cursor = page.nextCursor;
  byId('more').hidden = !page.nextCursor;
}

function entryList(entries, fields, currency) {
  if (entries.length === 0) return [element('p', { class: 'empty' }, 'No record on this side.')];
  return entries.map((entry) => {
    const list = element('dl');
    for (const [label, name] of fields) {
      const value =
        name === 'amount' ? money(entry.amount, entry.currency || currency) : entry[name];
      list.append(
        element('dt', {}, label),
        element('dd', {}, value === null ? '-' : String(value)),
      );
    }
    return list;
  });
}

const LEDGER_FIELDS = [
  ['Kind', 'kind'],
  ['Record', 'recordId'],
  ['Account', 'accountId'],
  ['Direction', 'creditDebit'],
  ['Amount', 'amount'],
  ['Status', 'status'],
  ['End-to-end id', 'endToEndId'],
  ['Bank transaction', 'bankTransactionId'],
  ['Day', 'date'],
];
const BANK_FIELDS = [
  ['Statement', 'statementId'],
  ['Entry', 'entryReference'],
  ['Direction', 'creditDebit'],
  ['Amount', 'amount'],
  ['Booking day', 'bookingDate'],
  ['Reversal', 'reversal'],
  ['End-to-end id', 'endToEndId'],
  ['Transaction', 'transactionId'],
  ['Reason', 'reasonCode'],
];

function proposalItem(exception, proposal) {
  const item = element(
    'li',
    { 'data-proposal': proposal.id },
    statusBadge(proposal.status),
    ` ${proposal.resolution} by ${proposal.actor}: `,
    element('q', {}, proposal.note),
  );
  if (proposal.decidedBy) item.append(` (${proposal.status} by ${proposal.decidedBy})`);
  if (proposal.decisionNote) item.append(' ', element('q', {}, proposal.decisionNote));
  if (proposal.status !== 'pending' || exception.status === 'resolved') return item;
  // Maker-checker: the author waits for another operator (the API refuses it anyway).
  if (proposal.actor === state.me) {
    item.append(' (waiting for another operator)');
    return item;
  }
  const path = `${API}/exceptions/${encodeURIComponent(exception.id)}/proposals/${encodeURIComponent(proposal.id)}`;
  const note = element('input', { placeholder: 'note to decline', 'aria-label': 'decline note' });
  const approve = () =>
    act(exception.id, () => api('POST', `${path}/approval`, {}), 'Approval sent');
  const decline = () =>
    act(exception.id, () => api('POST', `${path}/decline`, { note: note.value }), 'Decline sent');
  item.append(
    ' ',
    element('button', { type: 'button', class: 'approve', onclick: approve }, 'Approve'),
    ' ',
    note,
    element('button', { type: 'button', class: 'decline', onclick: decline }, 'Decline'),
  );
  return item;
}

function showException(exception) {
  byId('detail').hidden = false;
  byId('detail-title').textContent = `${exception.class.replaceAll('_', ' ')}: ${exception.id}`;
  byId('detail-summary').replaceChildren(
    statusBadge(exception.status),
    ` ${money(exception.amountAtRisk, exception.currency)} at risk, ${exception.partnerId}, ` +
      `statement day ${exception.date}, found ${age(exception.ageSeconds)} ago`,
  );
  byId('effect').textContent = exception.acceptBankEffect
    ? `Accepting the bank's side: ${exception.acceptBankEffect}`
    : '';
  byId('ledger-side').replaceChildren(
    ...entryList(exception.ledgerSide, LEDGER_FIELDS, exception.currency),
  );
  byId('bank-side').replaceChildren(
    ...entryList(exception.bankSide, BANK_FIELDS, exception.currency),
  );
  byId('proposals').replaceChildren(...exception.proposals.map((p) => proposalItem(exception, p)));
  byId('propose-form').hidden = exception.status !== 'open';
  // Without a bank side to book, only a dismissal can resolve it.
  const acceptBank = byId('propose-form').querySelector('option[value=accept_bank]');
  acceptBank.disabled = !exception.acceptBankEffect;
  if (acceptBank.disabled) byId('propose-form').elements.resolution.value = 'dismiss';
  byId('actions').replaceChildren(
    ...exception.actions.map((action) =>
      element(
        'li',
        { 'data-action': action.id },
        statusBadge(action.status),
        ` ${action.kind} by ${action.actor}`,
        action.refusal ? ` refused: ${action.refusal.code} (${action.refusal.detail})` : null,
      ),
    ),
  );
  byId('audit').replaceChildren(
    ...exception.audit.map((entry) =>
      element('li', {}, `${entry.at} ${entry.type}${entry.actor ? ` by ${entry.actor}` : ''}`),
    ),
  );
}

async function openException(id) {
  state.selected = id;
  for (const row of byId('exceptions').children) {
    row.classList.toggle('selected', row.dataset.id === id);
  }
  try {
    showException(await api('GET', `${API}/exceptions/${encodeURIComponent(id)}`));
  } catch (error) {
    say(error.message);
  }
}

/** Sends an action, then polls the exception until the reconciler answered it (or gives up). */
async function act(exceptionId, send, sentText) {
  let sent;
  try {
    sent = await send();
  } catch (error) {
    say(error.message);
    return;
  }
  say(`${sentText}; waiting for the reconciler...`, true);
  for (let times = 0; times < POLL_TIMES_MAX; times += 1) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const exception = await api('GET', `${API}/exceptions/${encodeURIComponent(exceptionId)}`);
    if (state.selected === exceptionId) showException(exception);
    const action = exception.actions.find((each) => each.id === sent.actionId);
    if (action && action.status === 'refused') {
      say(`Refused by the reconciler: ${action.refusal.code} (${action.refusal.detail})`);
      return loadQueue(false);
    }
    if (action && action.status === 'done') {
      say(`${sentText}: done.`, true);
      return loadQueue(false);
    }
  }
  say('The reconciler has not answered yet; the page shows it once it does.');
}

async function useKey(key) {
  sessionStorage.setItem(KEY_ITEM, key);
  try {
    const me = await api('GET', '/v1/admin/operators/me');
    state.me = me.name;
    byId('whoami').textContent = me.name
      ? `Signed in as ${me.name}`
      : 'Bootstrap admin (read only)';
    say('', true);
    await loadQueue(false);
  } catch (error) {
    sessionStorage.removeItem(KEY_ITEM);
    byId('whoami').textContent = '';
    say(error.message);
  }
}

function start() {
  byId('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void useKey(byId('api-key').value.trim());
    byId('api-key').value = '';
  });
  byId('forget-key').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_ITEM);
    byId('whoami').textContent = '';
    byId('exceptions').replaceChildren();
    byId('detail').hidden = true;
  });
  byId('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    loadQueue(false).catch((error) => say(error.message));
  });
  byId('more').addEventListener('click', () => loadQueue(true).catch((e) => say(e.message)));
  byId('propose-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const id = state.selected;
    const body = { resolution: form.get('resolution'), note: String(form.get('note')) };
    void act(
      id,
      () => api('POST', `${API}/exceptions/${encodeURIComponent(id)}/proposals`, body),
      'Proposal sent',
    ).then(() => event.target.reset());
  });
  if (apiKey()) void useKey(apiKey());
}

document.addEventListener('DOMContentLoaded', start);
