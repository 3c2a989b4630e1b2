// Filing from the app (issue 6): the journeys of MISSION C1–C4, O1–O3, E1, E2 in headless
// Chromium against `kaifang serve`, with the provider acting through `kaifang review`.
//
// (a) runs on the shared server (KAIFANG_URL). (b) needs a jurisdiction that offers review
// (复核, Aba 33) and (c) stops and restarts the intake, so each starts its own server from
// KAIFANG_BIN + KAIFANG_APP on a catalog it builds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, screenshot } from './lib.mjs';
import { buildCatalog, cleanUp, fillErrorReport, review, serve, shared, stop } from './intake.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  await cleanUp();
});

test('(a) a researcher applies, reloads mid-form, submits, sees the deadline; the provider approves; the approval shows', async () => {
  const { context, page, errors, foreign } = await openPage(browser);
  await page.goto(shared.url + '/datasets/yb-settlement');
  await page.getByTestId('action-apply').click();
  await page.waitForURL(/\/file\/apply\?dataset=yb-settlement$/);
  await page.locator('[data-form=application]').waitFor();

  await page.selectOption('#f-applicant-type', 'legal_person');
  await page.fill('#f-applicant-name', '示例大学公共卫生学院');
  await page.selectOption('#f-applicant-org_category', 'research_institute');
  // Validation as the user types, from the core validator: a wrong check character.
  await page.fill('#f-applicant-id_document-number', '91310115MA1K3BTP2C');
  await assert.doesNotReject(page.locator('.field-error', { hasText: '校验位不正确' }).waitFor({ timeout: 5_000 }));
  await page.fill('#f-applicant-id_document-number', '91310115MA1K3BTP2B');
  await page.locator('.field-error', { hasText: '校验位不正确' }).waitFor({ state: 'detached', timeout: 5_000 });
  await page.fill('#f-applicant-contact-phone', '13812345678');
  await page.fill('#f-purpose', '医保基金支付方式改革效果评估研究');
  await page.fill('#f-scope_of_use', '仅限课题组内部');

  // A reload (or a crash) mid-form loses nothing.
  await page.reload();
  await page.locator('[data-form=application]').waitFor();
  assert.equal(await page.inputValue('#f-purpose'), '医保基金支付方式改革效果评估研究');
  assert.equal(await page.inputValue('#f-applicant-name'), '示例大学公共卫生学院');
  assert.equal(await page.inputValue('#f-applicant-type'), 'legal_person');
  assert.equal(await page.inputValue('#f-applicant-id_document-number'), '91310115MA1K3BTP2B');

  await page.fill('#f-scenario', '按病种分析统筹支付变化');
  await page.fill('#f-users', '张三\n李四');
  await page.fill('#f-security_measures', '数据沙箱内使用，专人专机，访问留痕');
  await page.fill('#f-period-start', '2027-01-01');
  await page.fill('#f-period-end', '2027-12-31');
  await page.fill('#f-volume', '2025 年全年结算明细');
  await page.fill('#f-frequency', '一次');
  // The declarations are shown as the text that is signed.
  assert.match(await page.locator('.declaration').first().innerText(), /安全承诺书[\s\S]*不以任何方式重新识别个人身份/);
  await page.check('#f-security_commitment_ack');
  await page.check('#f-data_use_agreement_ack');
  await page.getByRole('button', { name: '提交' }).click();

  const receipt = page.getByTestId('receipt');
  await receipt.waitFor({ timeout: 15_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();
  assert.match(reference, /^SQ-\d{4}-\d{6}$/);
  const deadline = await receipt.getByTestId('deadline').innerText();
  assert.match(deadline, /\d{4}-\d{2}-\d{2}/);
  assert.match(deadline, /15 个工作日/);
  assert.match(deadline, /第二十六条/);
  await screenshot(page, 'filing-a-receipt');

  // Nothing personal in clear in local storage; the draft is gone.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes('91310115MA1K3BTP2B'), 'the credit code must not be kept in clear');
  assert.ok(!stored.includes('draft.apply.yb-settlement'), 'the draft is dropped after success');
  assert.ok(stored.includes(reference));

  const approved = await review(['decide', reference, '--department', 'ybj', 'approve',
    '--scope', '结算明细全部字段（沙箱内）', '--start', '2027-01-01', '--end', '2027-12-31', '--agreement', 'YB-XY-2027-001']);
  assert.equal(approved.state, 'approved');

  await page.goto(shared.url + '/filings');
  const item = page.locator(`[data-testid=filed-item][data-reference="${reference}"]`);
  await item.locator('[data-state=approved]').waitFor({ timeout: 15_000 });
  const decision = await item.getByTestId('decision').innerText();
  assert.match(decision, /结算明细全部字段/);
  assert.match(decision, /2027-01-01 – 2027-12-31/);
  assert.match(decision, /YB-XY-2027-001/);
  await screenshot(page, 'filing-a-approved');
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('(b) a rights holder objects to rows; the provider suspends; everyone sees it; withdrawal; the objector asks for review', async () => {
  const server = await serve(await buildCatalog('aba'));
  const { context, page, errors } = await openPage(browser);
  await page.goto(server.url + '/datasets/jt-bus-stops');
  await page.getByTestId('action-object').click();
  await page.locator('[data-form=objection]').waitFor();
  await page.fill('#f-requester-name', '某某公交广告有限公司');
  await page.fill('#f-requester-contact-email', 'legal@example.com');
  await page.selectOption('#f-relation', 'rights_holder');
  await page.selectOption('#f-scope-kind', 'rows');
  await page.fill('#f-scope-rows', '3, 10-');
  await page.locator('.field-error', { hasText: '不是行号' }).waitFor({ timeout: 5_000 });
  await page.fill('#f-scope-rows', '3, 10-12');
  assert.match(await page.locator('.rows-echo').innerText(), /已选 4 行：3, 10-12/);
  await page.check('#f-grounds-trade_secret');
  await page.fill('#f-statement', '第 3、10–12 行为本公司尚未公开的站点广告合同信息。');
  await page.selectOption('#f-requested_action', 'withdraw');
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();
  assert.match(reference, /^YY-\d{4}-\d{6}$/);
  const shown = await review(['show', reference, '--department', 'jtj'], server);
  assert.deepEqual(shown.filing.scope, { kind: 'rows', fields: [], rows: [3, 10, 11, 12] });

  await review(['start', reference, '--department', 'jtj'], server);
  await review(['act', reference, '--department', 'jtj', '--json', '{"action":"suspend_dataset","note":"核实异议期间中止开放"}'], server);

  // A second person, another browser context: the listing and the page both say suspended.
  const other = await openPage(browser);
  // The second user finds it through search (the front page shows 20 of 66 datasets).
  await other.page.goto(server.url + '/?q=' + encodeURIComponent('公交车线路站点'));
  await other.page.locator('.dataset-card[data-id=jt-bus-stops] .badge.status-suspended').waitFor({ timeout: 15_000 });
  await other.page.goto(server.url + '/datasets/jt-bus-stops');
  await other.page.locator('.status-banner.status-suspended').waitFor({ timeout: 15_000 });
  assert.match(await other.page.locator('.status-banner').innerText(), /核实异议期间中止开放/);
  // A suspended dataset serves no preview and no download, for everyone.
  await other.page.getByTestId('no-download').waitFor({ timeout: 15_000 });
  assert.equal(await other.page.locator('section.preview').count(), 0, 'a suspended dataset has no preview');
  assert.equal(await other.page.locator('.download-item').count(), 0, 'a suspended dataset has no download links');
  await screenshot(other.page, 'filing-b-suspended');

  await review(['act', reference, '--department', 'jtj', '--json', '{"action":"withdraw_dataset","note":"经核实，撤回第 3、10-12 行所在数据集"}'], server);
  await other.page.reload();
  await other.page.locator('.status-banner.status-withdrawn').waitFor({ timeout: 15_000 });
  await other.context.close();

  await page.goto(server.url + '/filings');
  const item = page.locator(`[data-testid=filed-item][data-reference="${reference}"]`);
  await item.locator('[data-state=withdrawn]').waitFor({ timeout: 15_000 });
  // Aba's rules offer review (复核): the form says on what basis.
  assert.match(await item.locator('.review-basis').innerText(), /阿坝 第三十三条/);
  await item.locator('#request_review-text').fill('撤回范围过大，请求复核仅撤回涉及的行。');
  await item.getByRole('button', { name: '申请复核' }).click();
  await item.locator('[data-state=review_requested]').waitFor({ timeout: 15_000 });
  await screenshot(page, 'filing-b-review-requested');
  const after = await review(['show', reference, '--authority'], server);
  assert.equal(after.state, 'review_requested');
  assert.deepEqual(errors, []);
  await context.close();
});

test('(c) submitting while the intake is stopped queues the filing; when it is back the filing is sent once and only once', async () => {
  const built = await buildCatalog();
  let server = await serve(built);
  const { context, page, errors } = await openPage(browser);
  await fillErrorReport(page, server.url);

  await stop(server);
  await page.getByRole('button', { name: '提交' }).click();
  const notice = page.getByTestId('queued-notice');
  await notice.getByText('已保存，等待发送').waitFor({ timeout: 15_000 });
  await screenshot(page, 'filing-c-queued');
  // Offline: the app shell is gone with the server, so look at the outbox directly.
  const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('kaifang.outbox')));
  assert.equal(queued.length, 1);
  assert.ok(queued[0].attempts >= 1);
  const key = queued[0].key;

  server = await serve(built, server.port);
  // Retried on its own (interval / overlay back): the receipt replaces the notice.
  await page.getByTestId('receipt').waitFor({ timeout: 120_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();
  assert.match(reference, /^JC-\d{4}-\d{6}$/);
  await screenshot(page, 'filing-c-sent');

  // Reload (app start retries the outbox) and wait for one more retry interval.
  await page.goto(server.url + '/filings');
  await page.locator(`[data-testid=filed-item][data-reference="${reference}"]`).waitFor({ timeout: 15_000 });
  await page.waitForTimeout(6_000);
  const outbox = await page.evaluate(() => JSON.parse(localStorage.getItem('kaifang.outbox')));
  assert.deepEqual(outbox, []);
  const filed = await page.evaluate(() => JSON.parse(localStorage.getItem('kaifang.filings')));
  assert.equal(filed.length, 1);
  assert.equal(filed[0].key, key, 'filed under the key it was queued with');
  const list = await review(['list', '--department', 'sthjj'], server);
  assert.equal(list.length, 1, `exactly one filing: ${JSON.stringify(list)}`);
  assert.equal(list[0].reference, reference);
  assert.deepEqual(errors, []);
  await context.close();
});

test('(d) MISSION C4, issue 14: a throttled filing waits out the intake\'s Retry-After, then is sent once', async () => {
  const server = await serve(await buildCatalog());
  const { context, page, errors } = await openPage(browser);
  // The intake's first answer is 429 with Retry-After: 20 (its rate limit); later ones reach it.
  const posts = [];
  await page.route('**/api/v1/filings', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    posts.push(Date.now());
    if (posts.length > 1) return route.fallback();
    return route.fulfill({
      status: 429, headers: { 'Retry-After': '20' }, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many filings; try again later.', message_zh: '提交过于频繁，请稍后再试。', fields: [] } }),
    });
  });
  await fillErrorReport(page, server.url);
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('queued-notice').waitFor({ timeout: 15_000 });
  const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('kaifang.outbox')));
  assert.equal(queued.length, 1);
  assert.ok(queued[0].not_before_ms - posts[0] >= 19_000, `kept for Retry-After: ${queued[0].not_before_ms - posts[0]} ms`);
  // The outbox's own backoff would retry after 5 s: nothing may go before the 20 s.
  await page.getByTestId('receipt').waitFor({ timeout: 60_000 });
  assert.equal(posts.length, 2, 'sent once more, and once only');
  assert.ok(posts[1] - posts[0] >= 19_000, `retried after ${posts[1] - posts[0]} ms`);
  assert.equal((await review(['list', '--department', 'sthjj'], server)).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the rights page states time limits with their articles, from the rule set', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(shared.url + '/rights');
  const app = page.locator('.rights-kinds li[data-kind=application]');
  await app.waitFor();
  assert.match(await app.innerText(), /15 个工作日/);
  assert.match(await app.innerText(), /云南 第二十六条/);
  assert.match(await page.locator('.rights-kinds li[data-kind=objection]').innerText(), /平台设定/);
  await screenshot(page, 'filing-rights');
  await context.close();
});
