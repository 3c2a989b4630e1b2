// The provider's desk (issue 15, /desk), in a world with a real OpenID provider and a real
// SMTP sink (signin.mjs): officials of the transport department and the data authority sign
// in through the platform's identity provider; the health-insurance department's official
// uses a department token (the desk's fallback sign-in form, for portals without an
// identity provider). The filers are told of each step by e-mail.
// One server of the file's own (Aba's rules: objections may be reviewed, 复核), on a catalog
// it builds, so the inbox holds only this file's filings.
//
// MISSION C3 (tracking, overdue) and O2 (the objection workflow, review 复核) from the provider's side.
//
// (a) an application: at the top of the inbox with its working days left; information asked
//     for and supplied through "my filings"; extended with a notice; approved with scope and
//     period; the filer sees it; another department never sees it (also via the API).
// (b) an objection handled from the desk by signed-in officials: verify, suspend (shown to
//     everyone), withdraw; the objector, told by e-mail, asks for review; the data authority
//     decides it from its queue.
// (c) the intake's clock past a reply date: overdue on the desk and in the figures; the audit
//     log and its CSV.
// (d) the desk by keyboard alone at 360 px in both languages, axe-core finding no serious or
//     critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, screenshot, PHONE } from './lib.mjs';
import { act, cleanUp, review, serve, stop, supplyInformation } from './intake.mjs';
import { decodeMail, signIn, startSignInWorld, stopSignInWorld, waitForMail } from './signin.mjs';

let browser;
let world;
let server;
const tokens = {};
const refs = {};

before(async () => {
  browser = await launch();
  world = await startSignInWorld('aba');
  server = world.server;
  for (const [who, args] of [['ybj', ['--department', 'ybj']], ['jtj', ['--department', 'jtj']], ['authority', ['--authority']]]) {
    tokens[who] = (await review(['token', 'create', ...args, '--label', `e2e ${who}`], server)).token;
  }
});
after(async () => {
  await browser?.close();
  stopSignInWorld();
  await cleanUp();
});

/** The intake's answer to a desk route, with a department token. */
async function api(path, token) {
  const res = await fetch(server.url + '/api/v1' + path, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: res.status === 200 ? await res.json() : null };
}

/** An official's page on the desk, signed in with a department token (the fallback form). */
async function official(token, options = {}) {
  const o = await openPage(browser, options);
  await o.page.goto(server.url + '/desk');
  await o.page.getByTestId('desk-signin').waitFor();
  await o.page.fill('#desk-token', token);
  await o.page.locator('.desk-token button[type=submit]').click();
  await o.page.getByTestId('desk-who').waitFor({ timeout: 15_000 });
  return o;
}

/** An official's page on the desk, signed in through the platform's identity provider. */
async function signedIn(login, path = '/desk') {
  const o = await openPage(browser);
  await signIn(o.page, server.url, login, path);
  await o.page.getByTestId('desk-who').waitFor({ timeout: 15_000 });
  return o;
}

/** The decoded e-mail to `to` that holds `text` (waits for it). */
async function mailWith(to, text) {
  const raw = await waitForMail(world.maildir, (m) => decodeMail(m).includes(text) && m.includes(to));
  return decodeMail(raw);
}

test('(a) an application: top of the inbox with working days left, information, extension, approval; other departments never see it', async () => {
  const filer = await openPage(browser);
  const { page } = filer;
  await page.goto(server.url + '/file/apply?dataset=yb-settlement');
  await page.locator('[data-form=application]').waitFor();
  await page.selectOption('#f-applicant-type', 'legal_person');
  await page.fill('#f-applicant-name', '示例大学公共卫生学院');
  await page.selectOption('#f-applicant-org_category', 'research_institute');
  await page.fill('#f-applicant-id_document-number', '91310115MA1K3BTP2B');
  await page.fill('#f-applicant-contact-phone', '13812345678');
  await page.fill('#f-purpose', '医保基金支付方式改革效果评估研究');
  await page.fill('#f-scope_of_use', '仅限课题组内部');
  await page.fill('#f-scenario', '按病种分析统筹支付变化');
  await page.fill('#f-users', '张三\n李四');
  await page.fill('#f-security_measures', '数据沙箱内使用，专人专机，访问留痕');
  await page.fill('#f-period-start', '2027-01-01');
  await page.fill('#f-period-end', '2027-12-31');
  await page.check('#f-security_commitment_ack');
  await page.check('#f-data_use_agreement_ack');
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();
  refs.application = reference;

  // The official of the owning department: the new application at the top, days left as the intake counts them.
  const ybj = await official(tokens.ybj);
  const first = ybj.page.getByTestId('inbox-row').first();
  await first.waitFor({ timeout: 15_000 });
  assert.equal(await first.getAttribute('data-reference'), reference);
  const { body: inbox } = await api('/department/inbox', tokens.ybj);
  const left = inbox.rows[0].standing.days_left;
  assert.equal(inbox.rows[0].reference, reference);
  assert.ok(left > 0, JSON.stringify(inbox.rows[0]));
  assert.match(await first.getByTestId('standing').innerText(), new RegExp(`剩余 ${left} 个工作日`));
  assert.match(await ybj.page.getByTestId('inbox-summary').innerText(), /共 1 件/);
  await screenshot(ybj.page, 'desk-a-inbox');

  // The full view: the identity number masked as stored, purpose, period, security measures.
  await first.locator('a.reference').click();
  await ybj.page.getByTestId('desk-filing').waitFor();
  const form = await ybj.page.locator('.desk-fields').first().innerText();
  assert.match(form, /医保基金支付方式改革效果评估研究/);
  assert.match(form, /数据沙箱内使用/);
  assert.match(form, /2027-01-01/);
  assert.ok(!form.includes('91310115MA1K3BTP2B'), 'the credit code is masked as stored');
  await act(ybj.page, 'start_review', {}, 'under_review');
  await act(ybj.page, 'request_information', { message: '请补充课题立项批准文件。' }, 'information_requested');

  // The researcher answers through "my filings".
  await page.goto(server.url + '/filings');
  const item = page.locator(`[data-testid=filed-item][data-reference="${reference}"]`);
  await supplyInformation(item, '立项批准文件编号：示大科〔2026〕12 号。');

  // Extension within the article's maximum, with the notice the filer reads; then approval.
  await ybj.page.reload();
  await ybj.page.locator('[data-testid=desk-state][data-state=under_review]').waitFor({ timeout: 15_000 });
  const limit = await ybj.page.getByTestId('extension-limit').innerText();
  const allowed = Number(limit.match(/(\d+) 个工作日/)[1]);
  assert.ok(allowed > 0, limit);
  // More than the article allows: the form's own limit says so, and the intake refuses it.
  const extend = { working_days: String(allowed + 1), notice: '需会同网信部门开展安全评估。' };
  if (await ybj.page.locator('#act-extend-consented_by').count()) extend.consented_by = '王局长（负责人）';
  await ybj.page.locator('details.desk-action[data-action=extend] summary').click();
  for (const [k, v] of Object.entries(extend)) await ybj.page.fill(`#act-extend-${k}`, v);
  assert.ok(await ybj.page.locator('#act-extend-working_days').evaluate((e) => e.validity.rangeOverflow), 'the form caps the days');
  const tooLong = await fetch(server.url + `/api/v1/department/filings/${reference}/actions`, {
    method: 'POST', headers: { Authorization: `Bearer ${tokens.ybj}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: 'extend', notice: extend.notice, working_days: allowed + 1, consented_by: extend.consented_by }),
  });
  assert.equal(tooLong.status, 409);
  assert.equal((await tooLong.json()).error.code, 'extension_too_long');
  await ybj.page.fill('#act-extend-working_days', '5');
  await ybj.page.locator('details.desk-action[data-action=extend] button[type=submit]').click();
  await ybj.page.locator('[data-testid=desk-state][data-state=extended]').waitFor({ timeout: 15_000 });
  await act(ybj.page, 'approve', { scope: '结算明细全部字段（沙箱内）', 'period-start': '2027-01-01', 'period-end': '2027-12-31', agreement: 'YB-XY-2027-001' }, 'approved');
  await screenshot(ybj.page, 'desk-a-approved');

  await page.reload();
  await item.locator('[data-state=approved]').waitFor({ timeout: 15_000 });
  const text = await item.innerText();
  assert.match(text, /需会同网信部门开展安全评估/);
  assert.match(text, /结算明细全部字段/);
  assert.match(text, /2027-01-01 – 2027-12-31/);

  // Another department: not in its inbox, "not found" through the API, nothing in its audit log.
  const jtj = await official(tokens.jtj);
  await jtj.page.getByTestId('inbox-summary').waitFor({ timeout: 15_000 });
  assert.equal(await jtj.page.locator(`[data-reference="${reference}"]`).count(), 0);
  await jtj.page.goto(server.url + `/desk?filing=${reference}`);
  await jtj.page.locator('.desk-filing .last-error').waitFor({ timeout: 15_000 });
  for (const path of [`/department/filings/${reference}`, `/department/filings/${reference}/offer`]) {
    assert.equal((await api(path, tokens.jtj)).status, 404, path);
  }
  assert.ok(!(await api('/department/inbox', tokens.jtj)).body.rows.some((r) => r.reference === reference));
  assert.ok(!(await api('/department/audit', tokens.jtj)).body.entries.some((e) => e.subject === reference));
  assert.deepEqual([...filer.errors, ...ybj.errors, ...jtj.errors], []);
  for (const c of [filer, ybj, jtj]) await c.context.close();
});

test('(b) an objection from the desk: verify, suspend for everyone, withdraw; review asked for and decided by the authority', async () => {
  const objector = await openPage(browser);
  const { page } = objector;
  await page.goto(server.url + '/file/object?dataset=jt-bus-stops');
  await page.locator('[data-form=objection]').waitFor();
  await page.fill('#f-requester-name', '某某公交广告有限公司');
  await page.fill('#f-requester-contact-email', 'legal@example.com');
  await page.selectOption('#f-relation', 'rights_holder');
  await page.selectOption('#f-scope-kind', 'rows');
  await page.fill('#f-scope-rows', '3, 10-12');
  await page.check('#f-grounds-trade_secret');
  await page.fill('#f-statement', '第 3、10–12 行为本公司尚未公开的站点广告合同信息。');
  await page.selectOption('#f-requested_action', 'withdraw');
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();

  const jtj = await signedIn('official-jt');
  await jtj.page.goto(server.url + `/desk?filing=${reference}`);
  await jtj.page.getByTestId('desk-filing').waitFor({ timeout: 15_000 });
  // The rows as picked.
  assert.match(await jtj.page.locator('.desk-fields').first().innerText(), /3, 10, 11, 12/);
  await act(jtj.page, 'start_review', {}, 'verifying');
  await act(jtj.page, 'suspend_dataset', { note: '核实异议期间中止开放' }, 'dataset_suspended');

  const reader = await openPage(browser);
  await reader.page.goto(server.url + '/datasets/jt-bus-stops');
  await reader.page.locator('.status-banner.status-suspended').waitFor({ timeout: 15_000 });
  assert.match(await reader.page.locator('.status-banner').innerText(), /核实异议期间中止开放/);

  assert.match(await mailWith('legal@example.com', '核实异议期间中止开放'), new RegExp(reference));
  await act(jtj.page, 'withdraw_dataset', { note: '经核实，撤回该数据集' }, 'withdrawn');
  await mailWith('legal@example.com', '经核实，撤回该数据集');
  await reader.page.reload();
  await reader.page.locator('.status-banner.status-withdrawn').waitFor({ timeout: 15_000 });

  await page.goto(server.url + '/filings');
  const item = page.locator(`[data-testid=filed-item][data-reference="${reference}"]`);
  await item.locator('[data-state=withdrawn]').waitFor({ timeout: 15_000 });
  await item.locator('#request_review-text').fill('撤回范围过大，请求复核仅撤回涉及的行。');
  await item.getByRole('button', { name: '申请复核' }).click();
  await item.locator('[data-state=review_requested]').waitFor({ timeout: 15_000 });

  // The data authority's queue: the review is there; it decides.
  const authority = await signedIn('authority', '/desk?view=queue');
  const row = authority.page.locator(`[data-testid=inbox-row][data-reference="${reference}"]`);
  await row.waitFor({ timeout: 15_000 });
  await row.locator('a.reference').click();
  await act(authority.page, 'decide_review', { upheld: 'false', reason: '复核认为仅需撤回涉及的行，原处理结果撤销。' }, 'review_decided');
  await screenshot(authority.page, 'desk-b-review-decided');
  await mailWith('legal@example.com', '原处理结果撤销');
  await page.reload();
  await item.locator('[data-state=review_decided]').waitFor({ timeout: 15_000 });
  assert.match(await item.innerText(), /原处理结果撤销/);
  assert.deepEqual([...objector.errors, ...jtj.errors, ...reader.errors, ...authority.errors], []);
  for (const c of [objector, jtj, reader, authority]) await c.context.close();
});

test('(c) past a reply date: overdue on the desk and in the figures; the audit log and its CSV', async () => {
  // A data request to the transport department, filed through the API; left unanswered.
  const res = await fetch(server.url + '/api/v1/filings', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'data_request', requester: { name: '赵六', contact: { email: 'zhao@example.cn' } },
      title: '公交车辆实时位置', description: '希望开放公交车辆实时位置数据，用于到站预测。', purpose: '开发到站提醒应用', department_id: 'jtj' }),
  });
  assert.equal(res.status, 201);
  const receipt = await res.json();
  // The intake restarted with its clock ten days past the reply date.
  const later = new Date(Date.parse(receipt.deadline.date + 'T02:00:00Z') + 10 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  await stop(server);
  server = await serve({ ...world.built, intakeConfig: world.config, clockStart: later }, server.port);
  const jtj = await signedIn('official-jt');
  const row = jtj.page.locator(`[data-testid=inbox-row][data-reference="${receipt.reference}"]`);
  await row.waitFor({ timeout: 15_000 });
  assert.equal(await row.getAttribute('data-flag'), 'overdue');
  assert.match(await row.getByTestId('standing').innerText(), /已逾期/);
  await jtj.page.goto(server.url + '/desk?view=figures');
  const fig = jtj.page.locator('[data-testid=figures-row][data-kind=data_request]');
  await fig.waitFor({ timeout: 15_000 });
  assert.equal(await fig.getAttribute('data-overdue'), '1');
  const { body: figures } = await api('/department/figures', tokens.jtj);
  const dr = figures.rows.find((r) => r.kind === 'data_request');
  assert.equal(dr.overdue, 1);
  assert.equal(dr.share_in_time, 0);
  await screenshot(jtj.page, 'desk-c-figures');

  // The audit log: this department's filings; its CSV, formula-safe with a BOM.
  await jtj.page.goto(server.url + '/desk?view=audit');
  await jtj.page.locator(`[data-testid=audit-table] td`, { hasText: receipt.reference }).first().waitFor({ timeout: 15_000 });
  const [download] = await Promise.all([jtj.page.waitForEvent('download'), jtj.page.getByTestId('audit-export').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFFid,at,actor,action,subject,detail\r\n'), csv.slice(0, 80));
  assert.ok(csv.includes(receipt.reference));
  assert.ok(!csv.includes(refs.application ?? 'SQ-none'), 'another department\'s filing is not in the export');
  assert.deepEqual(jtj.errors, []);
  await jtj.context.close();
});

/** axe-core's serious and critical violations on the page as it is. */
async function axeSerious(page) {
  await page.evaluate(readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8'));
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Presses Tab until `selector` has the focus (at most `max` times). */
async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('(d) the desk by keyboard alone at 360 px, both languages; axe-core finds nothing serious', async () => {
  for (const lang of ['zh-CN', 'en']) {
    const { context, page, errors } = await openPage(browser, PHONE);
    await page.addInitScript((l) => localStorage.setItem('kaifang.lang', JSON.stringify(l)), lang);
    await page.goto(server.url + '/desk');
    await page.getByTestId('desk-signin').waitFor();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    assert.deepEqual(await axeSerious(page), [], `sign-in, ${lang}`);
    assert.equal(await page.locator('a[href="/auth/login?return=/desk"]').count(), 1);
    await tabTo(page, '#desk-token');
    await page.keyboard.type(tokens.jtj);
    await page.keyboard.press('Enter');
    await page.getByTestId('inbox-rows').waitFor({ timeout: 15_000 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways scrolling at 360 px');
    assert.deepEqual(await axeSerious(page), [], `inbox, ${lang}`);
    // To the first filing and into an action's form, by keyboard.
    await tabTo(page, '[data-testid=inbox-row] a.reference');
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-filing').waitFor({ timeout: 15_000 });
    await page.locator('.desk-actions').waitFor();
    assert.deepEqual(await axeSerious(page), [], `filing, ${lang}`);
    if (await page.locator('details.desk-action summary').count()) {
      await tabTo(page, 'details.desk-action summary');
      await page.keyboard.press('Enter');
      assert.ok(await page.locator('details.desk-action[open]').count() === 1, 'Enter opens the action');
    }
    for (const view of ['audit', 'figures', 'datasets']) {
      await page.goto(server.url + `/desk?view=${view}`);
      await page.locator(`.desk-${view}`).waitFor({ timeout: 15_000 });
      await page.waitForTimeout(300);
      assert.deepEqual(await axeSerious(page), [], `${view}, ${lang}`);
    }
    await screenshot(page, `desk-d-phone-${lang}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});
