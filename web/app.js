// The console's pages. Every figure comes from a reading command run by caseledgerd (POST
// /api/run, the CLI's own JSON), every write is a command line of `apply` (POST /api/apply);
// refusals are shown with the text the CLI gives. Nothing is loaded from anywhere else.
'use strict';

const I18N = {
  zh: {
    title: '执行款管理控制台', 'nav.case': '案件', 'nav.inbox': '审批', 'nav.overdue': '超期看板',
    'nav.reconcile': '对账', 'nav.event': '集中发放', 'nav.defaulters': '失信名单', 'nav.books': '账簿',
    'nav.audit': '审计', lang: 'English', search: '查询', 'case.search': '案号、当事人姓名或案款账号',
    receipt: '登记到账', request_disbursement: '申请发放', command: '其他命令（JSON Lines，与 caseledger apply 相同）',
    atomic: '整体提交（--atomic）', submit: '提交', refresh: '刷新', show: '显示', check: '查询',
    'inbox.role': '我的角色', month: '月份', statement: '银行对账单（CSV）', period: '期间', reconcile: '对账',
    event_id: '发放批次号', title_: '名称', 'event.load': '列出可发放案件', 'event.prepare': '提交集中发放',
    party_id: '当事人编号', 'defaulters.list': '失信名单与到期删除', from: '自', to: '至',
    movements: '收支明细', cashbook: '收支月报', monthly: '月度监督报告', digest: '树头（digest）',
    verify: '校验（verify --fast）', export: '导出全部记录', seq: '记录序号', tree_size: '树大小',
    prove: '下载包含证明', refusals: '拒绝记录', case_no: '案号', amount: '金额（元）', bank_ref: '银行流水号',
    source: '来源', payer: '付款人', value_date: '到账日', on: '业务日期', request_id: '请求号',
    disbursement_id: '发放编号', payee: '领款人', 'source.debtor_payment': '被执行人交款',
    'source.deduction': '扣划', 'source.auction': '拍卖', 'source.other': '其他',
    approve: '批准', refuse: '驳回', reason: '驳回理由', confirm: '确认已付', own: '本人申请，不能审批', nothing: '无', figures: '案件数字',
    creditors: '申请执行人', debtors: '被执行人', lots: '款项批次与发放期限', history: '记录',
    approvals: '审批中', matches: '查询结果', recorded: '已记录', refused: '被拒绝',
    matched: '已匹配', bank_only: '银行有、账上无', ledger_only: '账上有、银行无', mismatched: '金额不符',
    adjustment: '余额调节表', record_bank_only: '登记银行单边账', print: '打印对账单',
    by_court: '按法院', by_judge: '按承办人', by_case: '按案件', legend: '绿：账上有款、无超期；黄：超期 1–30 天；红：超期 31 天及以上',
    listings: '失信名单', deletions_overdue: '到期应删除', restrictions: '限制消费', download: '下载',
    prepared_by: '制表人', checked_by: '复核人', finance_head: '财务负责人', date: '日期',
    no_roles: '本账本尚未设置角色', event_items: '本批次', waiting_for: '等待', paid_overdue: '超期发放的款项',
    agree: '账实相符', disagree: '账实不符',
  },
  en: {
    title: 'Case money console', 'nav.case': 'Case', 'nav.inbox': 'Approvals', 'nav.overdue': 'Overdue',
    'nav.reconcile': 'Reconciliation', 'nav.event': 'Disbursement day', 'nav.defaulters': 'Defaulters',
    'nav.books': 'Books', 'nav.audit': 'Audit', lang: '中文', search: 'Search',
    'case.search': 'Case number, party name or virtual account', receipt: 'Record a receipt',
    agree: 'balances agree', disagree: 'balances differ',
    request_disbursement: 'Request a payment', command: 'Other commands (JSON Lines, as caseledger apply)',
    atomic: 'All or nothing (--atomic)', submit: 'Submit', refresh: 'Refresh', show: 'Show',
    check: 'Check', 'inbox.role': 'My role', month: 'Month', statement: 'Bank statement (CSV)',
    period: 'Period', reconcile: 'Reconcile', event_id: 'Event id', title_: 'Title',
    'event.load': 'List cases with money', 'event.prepare': 'Prepare the event', party_id: 'Party id',
    'defaulters.list': 'Listings and deletions due', from: 'From', to: 'To', movements: 'Movements',
    cashbook: 'Monthly cashbook', monthly: 'Monthly supervision report', digest: 'Tree head (digest)',
    verify: 'Verify (--fast)', export: 'Export every entry', seq: 'Entry', tree_size: 'Tree size',
    prove: 'Download inclusion proof', refusals: 'Refusals', case_no: 'Case number',
    amount: 'Amount (yuan)', bank_ref: 'Bank reference', source: 'Source', payer: 'Payer',
    value_date: 'Value date', on: 'Date', request_id: 'Request id', disbursement_id: 'Payment id',
    payee: 'Payee', 'source.debtor_payment': 'Debtor payment', 'source.deduction': 'Deduction',
    'source.auction': 'Auction', 'source.other': 'Other', approve: 'Approve', refuse: 'Refuse',
    reason: 'Reason for refusing', confirm: 'Confirm paid',
    own: 'Your own request: someone else approves it', nothing: 'Nothing', figures: 'Figures',
    creditors: 'Creditors', debtors: 'Debtors', lots: 'Lots and payout deadlines', history: 'History',
    approvals: 'Approvals in progress', matches: 'Matches', recorded: 'Recorded', refused: 'Refused',
    matched: 'Matched', bank_only: 'Bank only', ledger_only: 'Ledger only', mismatched: 'Mismatched',
    adjustment: 'Balance reconciliation', record_bank_only: 'Record the bank-only lines',
    print: 'Print the statement', by_court: 'By court', by_judge: 'By judge', by_case: 'By case',
    legend: 'Green: money held, none overdue; yellow: 1–30 days past the deadline; red: 31 days or more',
    listings: 'Listings', deletions_overdue: 'Deletions due', restrictions: 'Restrictions',
    download: 'Download', prepared_by: 'Prepared by', checked_by: 'Checked by',
    finance_head: 'Head of finance', date: 'Date', no_roles: 'This ledger has no roles yet',
    event_items: 'Items', waiting_for: 'Waiting for', paid_overdue: 'Paid past the deadline',
  },
};

// Column labels: the JSON keys of the CLI, in the table's language.
const COLUMNS = {
  zh: {
    case_no: '案号', status: '状态', filed_on: '立案日', claim: '申请执行标的', recovered: '执行到位',
    balance: '账户余额', overdue_amount: '超期未发放', available: '可发放', held: '延缓发放',
    pending: '待发放', disbursed: '已发放', fee: '申请执行费', outstanding: '未履行', deadline: '结案期限',
    judge: '承办人', account_no: '案款账号', party_id: '编号', name: '名称', kind: '类别', id_number: '证件号码',
    account: '收款账号', account_kind: '账户', date: '到账日', payout_deadline: '发放期限', free: '可用', reserved: '已申请', seq: '序号', on: '日期',
    op: '操作', operator: '操作员', request_id: '请求号', case_amount: '本案金额', id: '编号',
    operation: '操作', requested_by: '申请人', steps: '步数', steps_done: '已完成步数', next_role: '下一步', approvers: '已审批',
    bank_ref: '银行流水号', amount: '金额', direction: '方向', value_date: '起息日', matched_by: '匹配依据',
    counterparty: '对方户名', counterparty_account: '对方账号', virtual_account: '案款账号', memo: '摘要',
    row: '行', light: '灯', court: '法院', creditor: '申请执行人', since: '超期起始日', days_past: '超期天数',
    overdue: '超期未发放', red: '红', yellow: '黄', green: '绿', listed_on: '纳入日', expires_on: '届满日',
    deletion_due_on: '应删除日', ground: '情形', listed: '失信', restricted: '限制消费', payee: '领款人',
    title: '名称', total: '合计', cases: '案件数', payees: '领款人数', opening: '期初余额', in: '本月收入',
    out: '本月支出', closing: '期末余额', hash: '哈希', ok: '结果', entries: '记录数', head_seq: '最新序号',
    problem: '问题', total_in: '收入合计', total_out: '支出合计', overdue_since: '超期起始日', ledger_balance: '银行日记账余额', statement_balance: '银行对账单余额',
    adjusted_ledger_balance: '调节后日记账余额', adjusted_statement_balance: '调节后对账单余额', count: '次数', code: '错误码', first: '首次', last: '末次', ledger_date: '账面日期',
  },
  en: {},
};

let lang = localStorage.getItem('caseledger-lang') === 'en' ? 'en' : 'zh';
let me = {operator: '', roles: [], roles_set: false, today: ''};
let names = {};  // `caseledger names --json`: the labels of core/names.h, as the CLI's tables show them

// The columns whose values are named states and kinds, and the table of names each is in.
const VALUE_KINDS = {status: 'case_status', mode: 'closure_mode', kind: 'party_kind', op: 'operation',
  operation: 'operation', next_role: 'role', roles: 'role', source: 'receipt_source', id_type: 'id_type',
  direction: 'direction', bank_direction: 'direction', ledger_direction: 'direction', matched_by: 'matched_by'};
function valueLabel(key, value) {
  const label = names[VALUE_KINDS[key]]?.[value];
  return label ? label[lang] : value;
}

const t = (key) => I18N[lang][key] ?? I18N.zh[key] ?? key;
const column = (key) => (lang === 'zh' ? COLUMNS.zh[key] : null) ?? key;
const has = (role) => !me.roles_set || me.roles.includes(role);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// An amount string of the CLI ("1234567.89") with thousands separators, as the CLI's tables show
// it: text only, never a binary number.
function grouped(amount) {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(amount ?? '');
  if (!match) return amount ?? '-';
  return match[1] + match[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (match[3] ?? '');
}
const AMOUNT_KEYS = new Set(['claim', 'recovered', 'balance', 'overdue_amount', 'available', 'held',
  'pending', 'disbursed', 'fee', 'outstanding', 'free', 'reserved', 'amount', 'overdue', 'total',
  'opening', 'in', 'out', 'closing', 'case_amount', 'ledger_balance', 'statement_balance',
  'adjusted_ledger_balance', 'adjusted_statement_balance', 'debit', 'credit', 'total_in', 'total_out']);

function cell(key, value) {
  if (value === null || value === undefined || value === '') return el('td', {}, '-');
  if (key === 'light') return el('td', {}, el('span', {class: `light ${value}`}), column(value));
  if (Array.isArray(value)) return el('td', {}, value.map((v) => valueLabel(key, v)).join(', '));
  if (typeof value === 'object') return el('td', {}, JSON.stringify(value));
  if (AMOUNT_KEYS.has(key)) return el('td', {class: 'num'}, grouped(String(value)));
  return el('td', {}, valueLabel(key, String(value)));
}

// A table of objects, one column per key given (all keys of the first row when none are).
function table(rows, keys, extra) {
  if (!rows || rows.length === 0) return el('p', {class: 'muted'}, t('nothing'));
  keys = keys ?? Object.keys(rows[0]);
  const head = el('tr', {}, keys.map((k) => el('th', {}, column(k))), extra ? el('th', {}) : null);
  const body = rows.map((row) => el('tr', {}, keys.map((k) => cell(k, row[k])),
                                    extra ? el('td', {}, extra(row)) : null));
  return el('table', {}, el('thead', {}, head), el('tbody', {}, body));
}

function figures(object, keys) {
  return el('div', {class: 'figures'}, keys.map((k) => el('div', {class: 'figure'},
    el('span', {}, column(k)), el('b', {}, AMOUNT_KEYS.has(k) ? grouped(object[k]) : valueLabel(k, object[k] ?? '-')))));
}

function notice(text, ok = false) {
  const box = document.getElementById('notice');
  box.replaceChildren(text ? el('div', {class: ok ? 'ok' : 'error'}, text) : '');
}

async function post(path, body) {
  const response = await fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json'},
                                      body: JSON.stringify(body)});
  const answer = await response.json();
  if (!response.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer;
}

// A reading command through caseledgerd; its JSON, or the CLI's own error text thrown.
async function run(args, input) {
  const full = lang === 'en' ? ['--lang', 'en', ...args] : [...args];
  const body = {args: full};
  if (input) Object.assign(body, {input: input.text, input_arg: full.indexOf(input.name)});
  return post('/api/run', body);
}

function failure(answer) {
  try {
    const error = JSON.parse(answer.out).error;
    if (error) return `${error.code}: ${error.message}`;
  } catch (e) { /* not JSON: the CLI's text */ }
  return (answer.err || answer.out).trim();
}

async function json(args, input) {
  const answer = await run(['--json', ...args], input);
  if (answer.exit_code !== 0) throw new Error(failure(answer));
  return JSON.parse(answer.out);
}

async function jsonLines(args) {
  const answer = await run(['--json', ...args]);
  if (answer.exit_code !== 0) throw new Error(failure(answer));
  return answer.out.split('\n').filter((line) => line).map((line) => JSON.parse(line));
}

// Commands through `apply`: the result lines shown, refusals with the CLI's text.
async function apply(lines, atomic = false) {
  const answer = await post('/api/apply', {lines, atomic});
  const refused = answer.results.filter((r) => !r.ok);
  const text = answer.results.map((r) => (r.ok
    ? `${t('recorded')}: ${r.request_id} (seq ${r.seq})` +
      (r.pending_approval ? ` · ${t('waiting_for')} ${valueLabel('next_role', r.pending_approval.next_role)} ` +
       `${r.pending_approval.steps_done}/${r.pending_approval.steps}` : '')
    : `${t('refused')}: ${r.request_id ?? '-'} ${r.error.code}: ${r.error.message}`)).join('\n');
  notice(text, refused.length === 0);
  return answer;
}

const requestId = (what) => `web-${what}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

function formObject(form) {
  const object = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (typeof value === 'string' && value.trim() !== '') object[key] = value.trim();
  }
  return object;
}

function guard(handler) {
  return async (event) => {
    event?.preventDefault?.();
    try {
      await handler(event);
    } catch (error) {
      notice(error.message);
    }
  };
}

function download(name, text, type = 'application/json') {
  const link = el('a', {href: URL.createObjectURL(new Blob([text], {type})), download: name}, `${t('download')} ${name}`);
  return link;
}

// ---- Case.

async function searchCase(query) {
  notice('');
  const view = document.getElementById('case-matches');
  view.replaceChildren();
  if (/执.*号$/.test(query)) return showCase(query);
  const rows = await json(['cases', /^\d{16}$/.test(query) ? '--account' : '--party', query]);
  if (rows.length === 1) return showCase(rows[0].case_no);
  view.replaceChildren(el('h2', {}, t('matches')), table(rows, ['case_no', 'status', 'filed_on', 'claim', 'balance'],
    (row) => el('button', {type: 'button', onclick: guard(() => showCase(row.case_no))}, t('show'))));
}

function historyRows(entries, caseNo) {
  return entries.map((e) => {
    let amount = null;
    for (const p of e.postings ?? []) {
      if (p.account === `case:${caseNo}`) amount = p.credit ? p.credit : `-${p.debit}`;
    }
    return {seq: e.seq, on: e.on, op: e.op, operator: e.operator, request_id: e.request_id, case_amount: amount};
  });
}

async function showCase(caseNo) {
  const [record, entries, approvals] = await Promise.all([
    json(['case', caseNo]), jsonLines(['history', caseNo]), json(['approvals', '--case', caseNo])]);
  document.querySelectorAll('#page-case input[name=case_no]').forEach((input) => { input.value = record.case_no; });
  document.getElementById('case-view').replaceChildren(
    el('h2', {}, `${record.case_no} · ${record.account_no} · ${record.judge ?? ''}`),
    figures(record, ['status', 'claim', 'recovered', 'balance', 'available', 'held', 'pending', 'disbursed',
                     'fee', 'outstanding', 'overdue_amount', 'deadline']),
    el('h2', {}, t('creditors')), table(record.creditors, ['party_id', 'name', 'kind', 'id_number', 'account']),
    el('h2', {}, t('debtors')), table(record.debtors, ['party_id', 'name', 'kind', 'id_number']),
    el('h2', {}, t('lots')), table(record.lots.map((l) => ({...l, payout_deadline: l.deadline})),
                                   ['date', 'payout_deadline', 'free', 'reserved', 'held']),
    el('h2', {}, t('approvals')), table(approvals.waiting, ['id', 'operation', 'amount', 'requested_by', 'on', 'next_role', 'approvers']),
    el('h2', {}, t('history')), table(historyRows(entries, record.case_no)));
}

async function submitReceipt(form) {
  const f = formObject(form);
  const receipt = {case_no: f.case_no, amount: f.amount, bank_ref: f.bank_ref, source: f.source};
  if (f.payer) receipt.payer = f.payer;
  if (f.value_date) receipt.value_date = f.value_date;
  await apply([JSON.stringify({request_id: f.request_id, on: f.on, receipt})]);
  form.request_id.value = requestId('receipt');
  if (f.case_no) await showCase(f.case_no).catch(() => {});
}

async function submitDisbursement(form) {
  const f = formObject(form);
  const request = {disbursement_id: f.disbursement_id, case_no: f.case_no, payee: f.payee, amount: f.amount};
  await apply([JSON.stringify({request_id: f.request_id, on: f.on, request_disbursement: request})]);
  form.request_id.value = requestId('payment');
  if (f.case_no) await showCase(f.case_no).catch(() => {});
}

// ---- Approvals inbox.

const STEP_ROLES = ['manager', 'bureau_head', 'court_leader', 'finance', 'administrator'];

function approveCommand(item, bankRef) {
  const base = {request_id: requestId('step'), on: me.today};
  if (item.stage === 'confirm') return {...base, confirm_disbursement: {disbursement_id: item.id, bank_ref: bankRef}};
  if (item.kind === 'disbursement') return {...base, approve_disbursement: {disbursement_id: item.id}};
  return {...base, approve: {target_request_id: item.id}};
}

// refuse: the step taken as a refusal, with its reason (the ledger refuses an empty one).
function refuseCommand(item, reason) {
  const target = item.kind === 'disbursement' ? {disbursement_id: item.id} : {target_request_id: item.id};
  return {request_id: requestId('refuse'), on: me.today, refuse: {...target, reason}};
}

function inboxAction(item) {
  if (item.requested_by.toLowerCase() === me.operator.toLowerCase()) {
    return el('button', {type: 'button', disabled: true, title: t('own')}, t('approve'));
  }
  // A refused step changed nothing: the row stays as typed, to be corrected.
  const step = async (command) => {
    const answer = await apply([JSON.stringify(command)]);
    if (answer.results.every((r) => r.ok)) await showInbox();
  };
  const bankRef = item.stage === 'confirm' ? el('input', {name: 'bank_ref', placeholder: t('bank_ref'), size: 14}) : null;
  const button = el('button', {type: 'button', class: 'approve',
    onclick: guard(() => step(approveCommand(item, bankRef?.value ?? '')))},
    item.stage === 'confirm' ? t('confirm') : t('approve'));
  if (item.stage === 'confirm') return el('span', {}, bankRef, button);
  const reason = el('input', {name: 'reason', placeholder: t('reason'), size: 14});
  const refuse = el('button', {type: 'button', class: 'refuse',
    onclick: guard(() => step(refuseCommand(item, reason.value)))}, t('refuse'));
  return el('span', {}, button, ' ', reason, refuse);
}

async function showInbox() {
  const role = document.querySelector('#inbox-form select').value;
  const answer = await json(['approvals', '--role', role]);
  document.getElementById('inbox-view').replaceChildren(
    table(answer.waiting, ['id', 'operation', 'case_no', 'amount', 'requested_by', 'on', 'steps_done', 'steps', 'approvers'],
          inboxAction));
}

// ---- Overdue board: the monthly report's lights, per court, per judge and per case.

function bars(rows, label) {
  const fen = (amount) => BigInt(amount.replace('.', ''));
  const max = rows.reduce((m, r) => (fen(r.overdue) > m ? fen(r.overdue) : m), 0n);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', 640);
  svg.setAttribute('height', 22 * rows.length + 4);
  rows.forEach((row, i) => {
    const width = max === 0n ? 0 : Number((fen(row.overdue) * 400n) / max);
    const add = (tag, attributes, text) => {
      const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
      for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
      if (text !== undefined) node.textContent = text;
      svg.append(node);
    };
    add('text', {x: 0, y: 22 * i + 15}, row[label]);
    add('rect', {x: 120, y: 22 * i + 4, width, height: 14, fill: row.light === 'red' ? '#d32f2f' : row.light === 'yellow' ? '#f9a825' : '#2e7d32'});
    add('text', {x: 126 + width, y: 22 * i + 15}, grouped(row.overdue));
  });
  return svg;
}

async function showOverdue(form) {
  const report = await json(['report', 'monthly', '--month', form.month.value]);
  document.getElementById('overdue-view').replaceChildren(
    el('p', {class: 'muted'}, t('legend')),
    el('h2', {}, t('by_court')), table(report.by_court, ['light', 'court', 'red', 'yellow', 'green', 'overdue', 'days_past']),
    el('h2', {}, t('by_judge')), bars(report.by_judge, 'judge'),
    table(report.by_judge, ['light', 'judge', 'red', 'yellow', 'green', 'overdue', 'days_past']),
    el('h2', {}, t('by_case')), table(report.lights, ['light', 'case_no', 'judge', 'creditor', 'balance', 'overdue', 'since', 'days_past']));
}

// ---- Reconciliation.

let statement = null;  // {name, text, period}

function periodArgs(form) {
  return form.from.value && form.to.value ? ['--period', `${form.from.value}:${form.to.value}`] : [];
}

async function showReconcile() {
  const rec = await json(['reconcile', statement.name, ...statement.period], statement);
  const record = has('finance') && rec.bank_only.length > 0
    ? el('button', {type: 'button', id: 'record-bank-only', onclick: guard(recordBankOnly)}, t('record_bank_only')) : null;
  document.getElementById('reconcile-view').replaceChildren(
    el('h2', {}, `${t('adjustment')} ${rec.period.from} – ${rec.period.to}`),
    figures(rec, ['ledger_balance', 'statement_balance', 'adjusted_ledger_balance', 'adjusted_statement_balance']),
    el('p', {id: 'reconcile-agree', class: rec.agree ? 'ok' : 'error'}, t(rec.agree ? 'agree' : 'disagree')),
    el('div', {class: 'bar'}, record, el('button', {type: 'button', onclick: () => window.print()}, t('print'))),
    el('h2', {}, `${t('bank_only')} (${rec.bank_only.length})`),
    table(rec.bank_only, ['row', 'value_date', 'direction', 'amount', 'bank_ref', 'counterparty', 'counterparty_account', 'virtual_account', 'memo']),
    el('h2', {}, `${t('ledger_only')} (${rec.ledger_only.length})`),
    table(rec.ledger_only, ['seq', 'op', 'amount', 'bank_ref', 'ledger_date']),
    el('h2', {}, `${t('mismatched')} (${rec.mismatched.length})`), table(rec.mismatched),
    el('h2', {}, `${t('matched')} (${rec.matched.length})`),
    table(rec.matched, ['row', 'value_date', 'direction', 'amount', 'bank_ref', 'seq', 'op', 'matched_by']),
    el('div', {class: 'signatures'}, [t('prepared_by'), t('checked_by'), t('finance_head'), t('date')].map((s) => el('span', {}, `${s}：________`))));
}

// The bank-only lines booked by `reconcile --record` through caseledgerd, as this operator's own
// commands; what was recorded and what was refused, with the CLI's text.
async function recordBankOnly() {
  const answer = await run(['--json', 'reconcile', statement.name, '--record', ...statement.period], statement);
  let rec = null;
  try { rec = JSON.parse(answer.out); } catch (e) { throw new Error(failure(answer)); }
  if (rec.ok === false) throw new Error(failure(answer));
  const lines = [...rec.recorded.map((r) => `${t('recorded')}: ${r.request_id} (seq ${r.seq})`),
    ...rec.not_recorded.map((r) => `${t('refused')}: ${r.request_id} ${r.error?.code ?? ''}: ${r.error?.message ?? ''}`)];
  await showReconcile();
  notice(lines.join('\n'), rec.not_recorded.length === 0);
}

// ---- Collective disbursement day.

async function loadEventCases() {
  const rows = (await json(['cases', '--status', 'open'])).filter((r) => r.balance !== '0.00');
  const cases = await Promise.all(rows.map((r) => json(['case', r.case_no])));
  const ready = cases.filter((c) => c.available !== '0.00');
  document.getElementById('event-cases').replaceChildren(table(ready.map((c) => ({case_no: c.case_no, available: c.available, judge: c.judge})),
    ['case_no', 'available', 'judge'], (row) => {
      const record = ready.find((c) => c.case_no === row.case_no);
      return el('span', {class: 'event-item', 'data-case': row.case_no},
        el('input', {type: 'checkbox', name: 'pick'}),
        el('select', {name: 'payee'}, record.creditors.map((p) => el('option', {value: p.party_id}, `${p.name} (${p.party_id})`))),
        el('input', {name: 'amount', value: row.available, size: 12}),
        el('input', {name: 'bank_ref', placeholder: t('bank_ref'), size: 14}));
    }));
}

async function prepareEvent(form) {
  const items = [...document.querySelectorAll('#event-cases .event-item')]
    .filter((item) => item.querySelector('[name=pick]').checked)
    .map((item) => ({case_no: item.dataset.case, payee: item.querySelector('[name=payee]').value,
                     amount: item.querySelector('[name=amount]').value.trim(),
                     bank_ref: item.querySelector('[name=bank_ref]').value.trim()}));
  const f = formObject(form);
  await apply([JSON.stringify({request_id: requestId('event'), on: f.on,
                               collective_disbursement: {event_id: f.event_id, title: f.title, items}})]);
}

async function showEvent(form) {
  const event = await json(['event', form.event_id.value]);
  document.getElementById('event-view').replaceChildren(
    el('h2', {}, `${event.event_id} ${event.title ?? ''} · ${event.on ?? ''}`),
    figures(event, ['cases', 'payees', 'total', 'seq']),
    el('h2', {}, t('paid_overdue')), table(event.paid_overdue));
}

// ---- Defaulters.

async function showDefaulter(form) {
  const args = ['defaulter', form.party_id.value, ...(form.on.value ? ['--on', form.on.value] : [])];
  const party = await json(args);
  document.getElementById('defaulter-view').replaceChildren(
    figures(party, ['party_id', 'name', 'on', 'listed', 'restricted']),
    el('h2', {}, t('listings')), table(party.listings),
    el('h2', {}, t('restrictions')), table(party.restrictions));
}

async function showDefaulters(form) {
  const on = form.on.value || me.today;
  const [listings, overdue] = await Promise.all([json(['defaulters', '--on', on]), json(['report', 'overdue', '--on', on])]);
  document.getElementById('defaulters-view').replaceChildren(
    el('h2', {}, t('listings')),
    table(listings.map((l) => ({party_id: l.party_id, name: l.name, ...l.listing}))),
    el('h2', {}, t('deletions_overdue')), table(overdue.deletions_overdue));
}

// ---- Books.

async function showMovements(form) {
  const reading = await json(['movements', '--from', form.from.value, '--to', form.to.value]);
  document.getElementById('books-view').replaceChildren(
    el('h2', {}, t('movements')), table(reading.movements),
    el('h2', {}, column('total')), table([{count: reading.count, total_in: reading.total_in, total_out: reading.total_out}]));
}

async function showCashbook(form) {
  const month = (form.from.value || me.today).slice(0, 7);
  const reading = await json(['report', 'cashbook', '--month', month]);
  // The kinds of account by the cashbook's own names (`names --json` "account"), as its table.
  const rows = (reading.accounts ?? reading.rows ?? []).map(({account, ...figures}) =>
    ({account_kind: names.account?.[account]?.[lang] ?? account, ...figures}));
  document.getElementById('books-view').replaceChildren(
    el('h2', {}, `${t('cashbook')} ${month}`), table(rows), reading.total ? table([reading.total]) : '');
}

async function showMonthly(form) {
  const month = (form.from.value || me.today).slice(0, 7);
  const name = `monthly-${month}.html`;
  const answer = await run(['report', 'monthly', '--month', month, '--html', name]);
  if (answer.exit_code !== 0) throw new Error(failure(answer));
  document.getElementById('books-view').replaceChildren(el('h2', {}, t('monthly')),
    el('p', {}, download(name, answer.file, 'text/html')));
}

// ---- Audit.

async function auditJson(args) {
  const reading = await json(args);
  document.getElementById('audit-view').replaceChildren(Array.isArray(reading) ? table(reading) : table([reading]));
  return reading;
}

async function auditFile(args, name) {
  const answer = await run(args);
  if (answer.exit_code !== 0) throw new Error(failure(answer));
  const link = download(name, answer.file);
  link.id = 'audit-download';
  document.getElementById('audit-view').replaceChildren(el('pre', {}, answer.out.trim()), el('p', {}, link));
}

async function prove(form) {
  const digest = await json(['digest']);
  const size = form.size.value || String(digest.seq);
  await auditFile(['prove', form.seq.value, '--digest', size, '-o', `proof-${form.seq.value}.json`], `proof-${form.seq.value}.json`);
  document.getElementById('audit-view').prepend(el('p', {id: 'audit-digest-line'}, `digest ${digest.seq}:${digest.hash}`));
}

// ---- The frame.

function translate() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  document.querySelectorAll('[data-t]').forEach((node) => {
    const key = node.dataset.t === 'title' && node.tagName !== 'H1' ? 'title_' : node.dataset.t;
    node.textContent = t(key);
  });
  document.getElementById('lang').textContent = t('lang');
}

function route() {
  const page = (location.hash || '#case').slice(1);
  document.querySelectorAll('.page').forEach((p) => p.classList.toggle('active', p.id === `page-${page}`));
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === page));
  notice('');
}

function bind(id, handler, event = 'submit') {
  document.getElementById(id).addEventListener(event, guard(() => handler(document.getElementById(id).form ?? document.getElementById(id))));
}

// Who is signed in, and the roles whose inbox they may open, in the page's language.
function showWho() {
  document.getElementById('operator').textContent = me.operator ?? '';
  document.getElementById('roles').textContent = me.roles_set ? `(${me.roles.map((r) => valueLabel('roles', r)).join(', ')})` : `(${t('no_roles')})`;
  const select = document.querySelector('#inbox-form select');
  const chosen = select.value;
  const roles = me.roles_set ? STEP_ROLES.filter((r) => me.roles.includes(r)) : STEP_ROLES;
  select.replaceChildren(...roles.map((r) => el('option', {value: r}, valueLabel('roles', r))));
  if (chosen) select.value = chosen;
}

async function start() {
  me = await (await fetch('/api/me')).json();
  names = await json(['names']);
  showWho();
  document.querySelectorAll('input[type=date][name=on]').forEach((input) => { input.value = me.today ?? ''; });
  document.querySelectorAll('input[name=request_id]').forEach((input) => { input.value = requestId('web'); });
  document.querySelector('#overdue-form [name=month]').value = (me.today ?? '').slice(0, 7);
  document.querySelectorAll('form[data-roles]').forEach((form) => {
    if (!form.dataset.roles.split(' ').some(has)) form.hidden = true;
  });
  translate();
  route();
}

window.addEventListener('hashchange', route);
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('caseledger-lang', lang);
    translate();
    showWho();
  });
  bind('case-search', (form) => searchCase(form.q.value.trim()));
  bind('form-receipt', submitReceipt);
  bind('form-disbursement', submitDisbursement);
  bind('form-command', (form) => apply(form.lines.value.split('\n').filter((l) => l.trim()), form.atomic.checked));
  bind('inbox-form', showInbox);
  bind('overdue-form', showOverdue);
  document.getElementById('reconcile-form').addEventListener('submit', guard(async () => {
    const form = document.getElementById('reconcile-form');
    const file = form.file.files[0];
    statement = {name: file.name, text: await file.text(), period: periodArgs(form)};
    await showReconcile();
  }));
  bind('event-load', loadEventCases, 'click');
  bind('event-form', prepareEvent);
  bind('event-show', showEvent);
  bind('defaulter-form', showDefaulter);
  bind('defaulters-form', showDefaulters);
  bind('books-form', showMovements);
  bind('books-cashbook', showCashbook, 'click');
  bind('books-monthly', showMonthly, 'click');
  bind('audit-digest', () => auditJson(['digest']), 'click');
  bind('audit-verify', () => auditJson(['verify', '--fast']), 'click');
  bind('audit-export', () => auditFile(['export', '--format', 'jsonl', '-o', 'ledger.jsonl'], 'ledger.jsonl'), 'click');
  bind('audit-prove', prove);
  bind('audit-refusals', (form) => auditJson(['report', 'refusals', '--from', form.from.value, '--to', form.to.value]));
  start().catch((error) => notice(error.message));
});
