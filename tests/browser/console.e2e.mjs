// The console end to end in Debian's Chromium (issue 20): the real caseledgerd on loopback with
// test certificates, one browser context per operator holding that operator's client
// certificate. Roles are set by two administrators; a clerk opens a case and records a receipt,
// another clerk requests a payment; the manager and the bureau head approve it in their inboxes;
// finance confirms it; the manager refuses another with a reason; the case page shows it; a statement upload matches it and finance records
// its bank-only line; the auditor downloads an inclusion proof and `caseledger check-proof`
// accepts it. Role gates and masking are checked as the pages show them. Screenshots of every
// page at 1366×768 go to --screenshots.
//
// node console.e2e.mjs --daemon build/caseledgerd --cli build/caseledger --source . \
//   --screenshots build/console-screenshots      (ctest runs it: CMakeLists.txt, label browser)
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const CHROMIUM = '/usr/bin/chromium';
const TODAY = '2024-03-31';
const CASE = '(2024)甘0102执7号';

function fail(message) {
  console.error(`console.e2e: FAILED: ${message}`);
  process.exit(1);
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

// Never a silent skip: what is missing, and the command that installs it.
function prerequisites() {
  for (const key of ['daemon', 'cli', 'source', 'screenshots']) {
    if (!argv[key]) fail(`--${key} is required (ctest passes it: see CMakeLists.txt)`);
  }
  if (!fs.existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: run ./run.sh test (it installs Debian's chromium)`);
  if (!fs.existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
    fail('tests/browser/node_modules is missing: run ./run.sh test (it runs npm ci in tests/browser)');
  }
}

const OPERATORS = ['admin.a', 'admin.b', 'clerk.a', 'clerk.b', 'mgr.m', 'head.h', 'fin.f', 'audit.c'];

function certificates(dir) {
  const script = path.join(argv.source, 'tools', 'make_certs.sh');
  execFileSync(script, ['init', dir]);
  for (const name of OPERATORS) execFileSync(script, ['operator', dir, name]);
}

async function startServer(dir) {
  const ready = path.join(dir, 'ready');
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  const server = spawn(argv.daemon, ['--db', path.join(dir, 'db'), '--listen', '127.0.0.1:0',
    '--console', '127.0.0.1:0', '--tls-cert', path.join(dir, 'server.pem'),
    '--tls-key', path.join(dir, 'server.key'), '--client-ca', path.join(dir, 'ca.pem'),
    '--crl-dir', path.join(dir, 'crl'), '--ready-file', ready],
  {env: {...process.env, CASELEDGER_TODAY: TODAY}, stdio: ['ignore', log, log]});
  const exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
  // However this script ends (a failure, a browser that cannot start), the server ends with it.
  process.on('exit', () => { if (server.exitCode === null) server.kill('SIGKILL'); });
  for (let i = 0; i < 200 && !fs.existsSync(ready); ++i) await new Promise((r) => setTimeout(r, 50));
  if (!fs.existsSync(ready)) fail(`caseledgerd did not start: ${fs.readFileSync(path.join(dir, 'server.log'), 'utf8')}`);
  const [, console_] = fs.readFileSync(ready, 'utf8').trim().split('\n');
  return {server, exited, origin: `https://${console_}`};
}

async function operatorPage(browser, origin, dir, name) {
  const context = await browser.newContext({
    viewport: {width: 1366, height: 768}, ignoreHTTPSErrors: true, acceptDownloads: true,
    clientCertificates: [{origin, certPath: path.join(dir, `${name}.pem`), keyPath: path.join(dir, `${name}.key`)}],
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  await page.goto(`${origin}/#case`);
  await page.waitForFunction(() => document.getElementById('operator').textContent !== '');
  page.errors = errors;
  return page;
}

let shot = 0;
async function screenshot(page, name) {
  fs.mkdirSync(argv.screenshots, {recursive: true});
  await page.screenshot({path: path.join(argv.screenshots, `${String(++shot).padStart(2, '0')}-${name}.png`)});
}

async function notice(page) {
  await page.waitForSelector('#notice > div');
  return page.textContent('#notice > div');
}

// A command through the case page's JSON Lines box; the page's result text.
async function command(page, line) {
  await page.goto(page.url().replace(/#.*$/, '#case'));
  await page.fill('#form-command [name=lines]', line);
  await page.evaluate(() => document.getElementById('notice').replaceChildren());
  await page.click('#form-command button');
  return notice(page);
}

const line = (requestId, op) => JSON.stringify({request_id: requestId, on: TODAY, ...op});

async function setRoles(pages) {
  const assignments = Object.entries({'admin.a': 'administrator', 'admin.b': 'administrator',
    'clerk.a': 'clerk', 'clerk.b': 'clerk', 'mgr.m': 'manager', 'head.h': 'bureau_head',
    'fin.f': 'finance', 'audit.c': 'auditor'}).map(([operator, role]) => ({operator, roles: [role]}));
  let text = await command(pages['admin.a'], line('roles-1', {set_roles: {assignments}}));
  expect(text.includes('roles-1') && text.includes('系统管理员'), `set_roles waits for an administrator (系统管理员): ${text}`);
  text = await command(pages['admin.b'], line('ok-roles-1', {approve: {target_request_id: 'roles-1'}}));
  expect(text.includes('ok-roles-1'), `approve roles: ${text}`);
  for (const page of Object.values(pages)) await page.reload();
}

async function clerkWork(pages) {
  const clerk = pages['clerk.a'];
  const open = {open_case: {case_no: CASE, claim: '100000', judge: '王法官',
    creditors: [{party_id: 'c1', name: '王某', kind: 'person', id_type: 'resident_id',
                 id_number: '62010219900101002X', account: '6228481863901061114'}],
    debtors: [{party_id: 'd1', name: '张某'}]}};
  let text = await command(clerk, line('open-1', open));
  expect(text.startsWith('已记录'), `open_case: ${text}`);
  // The receipt through its form.
  await clerk.fill('#form-receipt [name=case_no]', CASE);
  await clerk.fill('#form-receipt [name=amount]', '30000');
  await clerk.fill('#form-receipt [name=bank_ref]', 'B-1');
  await clerk.fill('#form-receipt [name=value_date]', TODAY);
  await clerk.evaluate(() => document.getElementById('notice').replaceChildren());
  await clerk.click('#form-receipt button');
  text = await notice(clerk);
  expect(text.startsWith('已记录'), `receipt: ${text}`);
  // A bad amount: the CLI's refusal, nothing recorded.
  await clerk.fill('#form-receipt [name=amount]', '1e3');
  await clerk.fill('#form-receipt [name=bank_ref]', 'B-bad');
  await clerk.evaluate(() => document.getElementById('notice').replaceChildren());
  await clerk.click('#form-receipt button');
  text = await notice(clerk);
  expect(text.includes('INVALID_ARGUMENT') && text.includes('receipt.amount'), `bad amount: ${text}`);
  // Another clerk requests the payment.
  const other = pages['clerk.b'];
  await other.fill('#form-disbursement [name=case_no]', CASE);
  await other.fill('#form-disbursement [name=disbursement_id]', 'D-1');
  await other.fill('#form-disbursement [name=payee]', 'c1');
  await other.fill('#form-disbursement [name=amount]', '10000');
  await other.click('#form-disbursement button');
  text = await notice(other);
  expect(text.includes('案款管理人'), `request_disbursement waits for the manager (案款管理人): ${text}`);
}

async function inbox(page, role, bankRef, waiting = 'D-1') {
  await page.goto(page.url().replace(/#.*$/, '#inbox'));
  await page.selectOption('#inbox-form select', role);
  await page.evaluate(() => document.getElementById('inbox-view').replaceChildren());
  await page.click('#inbox-form button');
  await page.waitForSelector('#inbox-view table, #inbox-view p');
  expect((await page.textContent('#inbox-view')).includes(waiting), `${role}'s inbox shows ${waiting}`);
  if (bankRef) await page.fill('#inbox-view input[name=bank_ref]', bankRef);
  if (waiting === 'D-1') await screenshot(page, `inbox-${role}`);
  await page.evaluate(() => document.getElementById('notice').replaceChildren());
  await page.click('#inbox-view button:not([disabled])');
  const text = await notice(page);
  expect(text.startsWith('已记录'), `${role} step: ${text}`);
}

// A request the manager refuses in the inbox: without a reason the ledger's own refusal and
// nothing recorded; with one, recorded, and the request leaves every inbox.
async function refusal(pages) {
  const text = await command(pages['clerk.b'], line('req-d2', {request_disbursement:
    {disbursement_id: 'D-2', case_no: CASE, payee: 'c1', amount: '100'}}));
  expect(text.includes('案款管理人'), `D-2 waits for the manager: ${text}`);
  const manager = pages['mgr.m'];
  const refuseD2 = async (reason) => {
    await manager.goto(manager.url().replace(/#.*$/, '#inbox'));
    await manager.selectOption('#inbox-form select', 'manager');
    await manager.evaluate(() => document.getElementById('inbox-view').replaceChildren());
    await manager.click('#inbox-form button');
    const row = manager.locator('#inbox-view tr', {hasText: 'D-2'});
    await row.waitFor();
    await row.locator('input[name=reason]').fill(reason);
    await manager.evaluate(() => document.getElementById('notice').replaceChildren());
    await row.locator('button.refuse').click();
    return notice(manager);
  };
  let answer = await refuseD2('');
  expect(answer.includes('INVALID_ARGUMENT') && answer.includes('refuse.reason: is empty'),
         `a refusal without a reason: ${answer}`);
  answer = await refuseD2('领款人账户待核实');
  expect(answer.startsWith('已记录'), `the manager refuses D-2: ${answer}`);
  // The page shows the inbox again after the answer: D-2 is gone from it.
  const gone = await manager.waitForFunction(
    () => !document.getElementById('inbox-view').textContent.includes('D-2'), null, {timeout: 5000})
    .then(() => true, () => false);
  expect(gone, 'D-2 left the inbox');
  const waiting = await command(pages['admin.a'], line('look-d2', {approve: {target_request_id: 'req-d2'}}));
  expect(waiting.includes('INVALID_STATE'), `no step on a refused request: ${waiting}`);
}

async function casePage(page) {
  await page.goto(page.url().replace(/#.*$/, '#case'));
  await page.evaluate(() => document.getElementById('case-view').replaceChildren());
  await page.fill('#case-search [name=q]', '王某');  // by the party's name
  await page.click('#case-search button');
  await page.waitForSelector('#case-view h2');
  const text = await page.textContent('#case-view');
  // The history's row of finance's confirmation: operation 发放 (core/names.h), operator fin.f.
  const rows = await page.$$eval('#case-view tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  expect(rows.some((cells) => cells[2] === '发放' && cells[3] === 'fin.f'), 'the history shows finance\'s confirmation');
  expect(text.includes('10,000.00'), 'the case shows the 10,000.00 paid');
  return text;
}

function statementFile(dir, accountNo) {
  const file = path.join(dir, 'statement-2024-03.csv');
  fs.writeFileSync(file, [
    'value_date,direction,amount,bank_ref,counterparty,counterparty_account,virtual_account,memo,balance,kind',
    `${TODAY},in,30000.00,B-1,张某,,${accountNo},,30000.00,`,
    `${TODAY},out,10000.00,P-1,王某,,,,20000.00,`,
    `${TODAY},in,500.00,B-2,张某,,${accountNo},银行有账上无,20500.00,`, ''].join('\n'));
  return file;
}

async function reconcile(page, file) {
  await page.goto(page.url().replace(/#.*$/, '#reconcile'));
  await page.setInputFiles('#reconcile-form [name=file]', file);
  await page.click('#reconcile-form button');
  await page.waitForSelector('#reconcile-agree');
  let text = await page.textContent('#reconcile-view');
  expect(text.includes('已匹配 (2)') && text.includes('银行有、账上无 (1)'), `reconcile: ${text.slice(0, 300)}`);
  // No English codes in the Chinese tables: directions and how a line matched in words.
  const cells = await page.$$eval('#reconcile-view td', (tds) => tds.map((td) => td.textContent));
  expect(cells.includes('收') && cells.includes('付') && cells.includes('按流水号') &&
         !cells.some((c) => ['in', 'out', 'bank_ref', 'virtual_account'].includes(c)) &&
         !text.includes('balances'), `reconcile in words: ${cells.join(' ')}`);
  await screenshot(page, 'reconcile');
  await page.evaluate(() => document.getElementById('notice').replaceChildren());
  await page.click('#record-bank-only');
  const recorded = await notice(page);
  expect(recorded.includes('reconcile:B-2'), `bank-only recorded: ${recorded}`);
  await page.waitForFunction(() => document.getElementById('reconcile-view').textContent.includes('已匹配 (3)'));
  text = await page.textContent('#reconcile-view');
  expect(text.includes('银行有、账上无 (0)') && text.includes('账实相符'), 'after recording, the statement agrees');
}

async function audit(page, dir) {
  await page.goto(page.url().replace(/#.*$/, '#audit'));
  await page.evaluate(() => document.getElementById('audit-view').replaceChildren());
  await page.click('#audit-verify');
  await page.waitForSelector('#audit-view table');
  await page.fill('#audit-prove [name=seq]', '3');
  await page.click('#audit-prove button');
  await page.waitForSelector('#audit-download');
  const digest = (await page.textContent('#audit-digest-line')).replace('digest ', '');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-download')]);
  const proof = path.join(dir, 'proof-3.json');
  await download.saveAs(proof);
  await screenshot(page, 'audit');
  const checked = execFileSync(argv.cli, ['check-proof', proof, '--digest', digest], {encoding: 'utf8'});
  expect(checked.length > 0, 'check-proof accepted the proof');
}

async function gates(pages) {
  // An auditor cannot write: the ledger's refusal, shown as the CLI gives it.
  const text = await command(pages['audit.c'], line('a-1', {receipt: {case_no: CASE, amount: '1', bank_ref: 'B-9', source: 'other'}}));
  expect(text.includes('NOT_PERMITTED'), `auditor write: ${text}`);
  // A clerk has no approvals inbox and no audit page: the server refuses.
  const clerk = pages['clerk.a'];
  expect(await clerk.locator('#inbox-form select option').count() === 0, 'a clerk has no inbox role');
  const refused = await clerk.evaluate(async () => (await fetch('/api/run', {method: 'POST',
    body: JSON.stringify({args: ['--json', 'approvals', '--role', 'manager']})})).status);
  expect(refused === 403, `a clerk opening the manager's inbox: ${refused}`);
  await clerk.goto(clerk.url().replace(/#.*$/, '#audit'));
  await clerk.click('#audit-digest');
  expect((await notice(clerk)).includes('NOT_PERMITTED'), 'a clerk on the audit page');
  // Those two refusals are the only errors Chromium may have logged for this page.
  const refusals = clerk.errors.filter((e) => e.includes('status of 403'));
  expect(refusals.length === 2, `two refusals logged: ${clerk.errors.join('; ')}`);
  clerk.errors.splice(0, clerk.errors.length, ...clerk.errors.filter((e) => !e.includes('status of 403')));
  // The manager sees the payee's account and ID number masked.
  const manager = pages['mgr.m'];
  const shown = await casePage(manager);
  expect(shown.includes('****1114') && !shown.includes('6228481863901061114'), 'the manager sees the account masked');
  expect(shown.includes('****002X') && !shown.includes('62010219900101002X'), 'the manager sees the ID number masked');
}

async function otherPages(pages) {
  const clerk = pages['clerk.a'];
  for (const [page, form, name] of [['overdue', '#overdue-form', 'overdue'], ['defaulters', '#defaulters-form', 'defaulters'],
                                    ['books', '#books-form', 'books']]) {
    await clerk.goto(clerk.url().replace(/#.*$/, `#${page}`));
    if (page === 'books') {
      await clerk.fill('#books-form [name=from]', '2024-03-01');
      await clerk.fill('#books-form [name=to]', TODAY);
    }
    await clerk.evaluate((id) => document.getElementById(id).replaceChildren(), `${page}-view`);
    await clerk.click(`${form} button`);
    await clerk.waitForSelector(`#${page === 'defaulters' ? 'defaulters' : page}-view table, #${page}-view p`);
    expect(!(await clerk.isVisible('#notice .error')), `${page}: ${await clerk.textContent('#notice')}`);
    await screenshot(clerk, name);
  }
  expect((await clerk.textContent('#books-view')).includes('30,000.00'), 'the movements show the receipt');
  // 收支月报: the kinds of account by their names, as the command line's table shows them.
  await clerk.goto(clerk.url().replace(/#.*$/, '#books'));
  await clerk.evaluate(() => document.getElementById('books-view').replaceChildren());
  await clerk.click('#books-cashbook');
  await clerk.waitForSelector('#books-view table');
  const cashbook = await clerk.textContent('#books-view');
  expect(cashbook.includes('案款') && !/\bcases\b/.test(cashbook), `the cashbook names its accounts: ${cashbook}`);
  await clerk.goto(clerk.url().replace(/#.*$/, '#event'));
  await clerk.click('#event-load');
  await clerk.waitForSelector('#event-cases table');
  expect((await clerk.textContent('#event-cases')).includes(CASE), 'the case with money is offered for the day');
  // A collective disbursement day: 500.00 of the case to its creditor, through two steps.
  await clerk.fill('#event-form [name=event_id]', 'E-1');
  await clerk.fill('#event-form [name=title]', '三月集中发放');
  await clerk.check('#event-cases [name=pick]');
  await clerk.fill('#event-cases [name=amount]', '500');
  await clerk.fill('#event-cases [name=bank_ref]', 'P-2');
  await screenshot(clerk, 'event');
  await clerk.evaluate(() => document.getElementById('notice').replaceChildren());
  await clerk.click('#event-form button[type=submit], #event-form button:not([type])');
  const prepared = await notice(clerk);
  expect(prepared.includes('案款管理人'), `the event waits for the manager: ${prepared}`);
  const requestId = /web-event-[a-z0-9-]+/.exec(prepared)[0];
  await inbox(pages['mgr.m'], 'manager', null, requestId);
  await inbox(pages['head.h'], 'bureau_head', null, requestId);
  await clerk.fill('#event-show [name=event_id]', 'E-1');
  await clerk.click('#event-show button');
  await clerk.waitForSelector('#event-view h2');
  const paid = await clerk.textContent('#event-view');
  expect(paid.includes('E-1') && paid.includes('500.00'), `the event as paid: ${paid}`);
  await clerk.click('#lang');
  expect((await clerk.textContent('nav')).includes('Reconciliation'), 'English on request');
  await clerk.click('#lang');
}

async function main() {
  prerequisites();
  fs.rmSync(argv.screenshots, {recursive: true, force: true});
  const {chromium} = await import('playwright-core');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseledger-console-'));
  certificates(dir);
  const {server, exited, origin} = await startServer(dir);
  const browser = await chromium.launch({executablePath: CHROMIUM, args: ['--no-sandbox']});
  const pages = {};
  let failure = null;
  try {
    for (const name of OPERATORS) pages[name] = await operatorPage(browser, origin, dir, name);
    await setRoles(pages);
    await clerkWork(pages);
    await screenshot(pages['clerk.b'], 'case-forms');
    await inbox(pages['mgr.m'], 'manager');
    await inbox(pages['head.h'], 'bureau_head');
    await inbox(pages['fin.f'], 'finance', 'P-1');
    await refusal(pages);
    const shown = await casePage(pages['clerk.a']);
    await screenshot(pages['clerk.a'], 'case');
    const accountNo = /8801\d{12}/.exec(shown)[0];
    await reconcile(pages['fin.f'], statementFile(dir, accountNo));
    await audit(pages['audit.c'], dir);
    await gates(pages);
    await otherPages(pages);
    for (const [name, page] of Object.entries(pages)) {
      expect(page.errors.length === 0, `${name}'s page logged errors: ${page.errors.join('; ')}`);
    }
  } catch (error) {
    for (const [name, page] of Object.entries(pages)) await screenshot(page, `failed-${name}`).catch(() => {});
    failure = error;
  }
  await browser.close();
  server.kill('SIGTERM');  // whatever happened: no server outlives the test
  const code = await exited;
  if (failure) fail(`${failure.stack}\nserver log:\n${fs.readFileSync(path.join(dir, 'server.log'), 'utf8')}`);
  if (code !== 0) fail(`caseledgerd exited with ${code}`);
  fs.rmSync(dir, {recursive: true, force: true});
  console.log(`console.e2e: passed; screenshots in ${argv.screenshots}`);
}

main();
