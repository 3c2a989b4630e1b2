// What a filer sees of the rules to the letter (issue 19), each journey on a server of its own
// under the rule set it needs, the provider and the data authority acting through
// `kaifang review`:
// (a) MISSION C3, Xiangxi 35: two steps — the department's 审核, then the authority's 审批 —
//     with the extension's notice and who consented (主要负责人) on "my filings";
// (b) MISSION E1, Aba 20 ¶3: an error report filed with the data authority, forwarded to the
//     department, the department's 5-working-day clock then running;
// (c) MISSION B3, Xiangxi 39: an invalid (失效) dataset carries its mark and notice;
// (d) MISSION C3: the overdue mark and the extension notice with its consent on "my filings";
// (e) MISSION B3, Aba 33 ¶2 / Xiangxi 45: reopened after processing is a new version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, screenshot } from './lib.mjs';
import { buildCatalog, cleanUp, fillErrorReport, renderPages, review, serve } from './intake.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  await cleanUp();
});

/** The filed item of `reference` on "my filings", once its live state is `state`. */
async function filedItem(page, url, reference, state) {
  await page.goto(url + '/filings');
  const item = page.locator(`[data-testid=filed-item][data-reference="${reference}"]`);
  await item.locator(`[data-state=${state}]`).first().waitFor({ timeout: 15_000 });
  return item;
}

test('(a) Xiangxi 35: the department reviews, the authority approves; the filer sees the step, the notice and who consented', async () => {
  const server = await serve(await buildCatalog('xiangxi'));
  const { context, page, errors } = await openPage(browser);
  await page.goto(server.url + '/datasets/yb-settlement');
  await page.getByTestId('action-apply').click();
  await page.locator('[data-form=application]').waitFor();
  await page.selectOption('#f-applicant-type', 'legal_person');
  await page.fill('#f-applicant-name', '示例数据科技有限公司');
  await page.selectOption('#f-applicant-org_category', 'company');
  await page.fill('#f-applicant-id_document-number', '91310115MA1K3BTP2B');
  await page.fill('#f-applicant-contact-phone', '13812345678');
  await page.fill('#f-purpose', '医保结算数据质量评估');
  await page.fill('#f-scope_of_use', '仅限公司数据实验室');
  await page.fill('#f-scenario', '按月统计结算差错率');
  await page.fill('#f-users', '张三');
  await page.fill('#f-security_measures', '数据沙箱内使用，访问留痕');
  await page.fill('#f-period-start', '2027-01-01');
  await page.fill('#f-period-end', '2027-06-30');
  // Xiangxi 35/36: companies declare domestic control.
  await page.check('#f-domestic_control_declaration');
  await page.check('#f-security_commitment_ack');
  await page.check('#f-data_use_agreement_ack');
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();
  assert.match(await page.getByTestId('deadline').innerText(), /10 个工作日[\s\S]*第三十五条/);

  // Step 1 of 2 while the department reviews.
  let item = await filedItem(page, server.url, reference, 'submitted');
  assert.match(await item.getByTestId('approval-step').innerText(), /第 1 步（共 2 步）：数据提供部门审核/);

  await review(['start', reference, '--department', 'ybj'], server);
  await assert.rejects(review(['extend', reference, '--department', 'ybj', '--days', '3', '--notice', '需会同网信部门评估'], server),
    /主要负责人/, 'an extension without the head\'s consent is refused');
  await review(['extend', reference, '--department', 'ybj', '--days', '3', '--notice', '需会同网信部门评估',
    '--consented-by', '王五（局长，主要负责人）'], server);
  await review(['pass-review', reference, '--department', 'ybj', '--opinion', '用途合规，建议批准'], server);

  item = await filedItem(page, server.url, reference, 'awaiting_approval');
  const step = item.getByTestId('approval-step');
  assert.equal(await step.getAttribute('data-step'), '2');
  assert.match(await step.innerText(), /第 2 步（共 2 步）：数据主管部门审批/);
  const extension = item.locator('li[data-action=extend]');
  assert.match(await extension.innerText(), /需会同网信部门评估/);
  assert.match(await extension.getByTestId('consented-by').innerText(), /王五（局长，主要负责人）/);
  assert.match(await item.locator('li[data-action=pass_review]').innerText(), /审核意见[\s\S]*用途合规，建议批准/);
  await screenshot(page, 'filing-steps-a-awaiting-approval');

  await review(['decide', reference, '--authority', 'approve', '--scope', '结算明细（沙箱内）',
    '--start', '2027-01-01', '--end', '2027-06-30', '--agreement', 'XX-XY-2027-9'], server);
  item = await filedItem(page, server.url, reference, 'approved');
  const approval = item.locator('li[data-action=approve]');
  assert.match(await approval.locator('.who').innerText(), /数据主管部门/);
  assert.match(await approval.getByTestId('decision').innerText(), /XX-XY-2027-9/);
  assert.equal(await item.getByTestId('approval-step').count(), 0, 'decided: no step left');
  await screenshot(page, 'filing-steps-a-approved');
  assert.deepEqual(errors, []);
  await context.close();
});

test('(b) Aba 20: an error report goes to the data authority, which forwards it; the department then has 5 working days', async () => {
  const server = await serve(await buildCatalog('aba'));
  const { context, page, errors } = await openPage(browser);
  await fillErrorReport(page, server.url);
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();
  assert.match(await page.getByTestId('deadline').innerText(), /2 个工作日[\s\S]*第二十条第三款/);

  let item = await filedItem(page, server.url, reference, 'awaiting_forwarding');
  assert.match(await item.locator('[data-testid=filing-state]').innerText(), /待转交/);
  // Not the department's before it is forwarded.
  assert.deepEqual(await review(['list', '--department', 'sthjj'], server), []);
  const queue = await review(['list', '--authority', '--state', 'awaiting_forwarding'], server);
  assert.deepEqual(queue.map((f) => f.reference), [reference]);

  await review(['forward', reference, '--note', '已转交市生态环境局校核'], server);
  item = await filedItem(page, server.url, reference, 'received');
  const forward = item.locator('li[data-action=forward]');
  assert.match(await forward.locator('.who').innerText(), /数据主管部门/);
  assert.match(await forward.innerText(), /已转交市生态环境局校核/);
  assert.match(await item.getByTestId('deadline').innerText(), /5 个工作日[\s\S]*第二十条/);
  assert.equal((await review(['list', '--department', 'sthjj'], server)).length, 1);
  await screenshot(page, 'filing-steps-b-forwarded');
  assert.deepEqual(errors, []);
  await context.close();
});

test('(c) Xiangxi 39: an invalid (失效) dataset is marked and announced on its page', async () => {
  const server = await serve(await buildCatalog());
  await review(['dataset', 'hb-air-quality', 'invalidate', '--department', 'sthjj', '--note', '监测站点已调整，旧数据失效'], server);
  const { context, page, errors } = await openPage(browser);
  await page.goto(server.url + '/datasets/hb-air-quality');
  const banner = page.locator('.status-banner.status-invalid');
  await banner.waitFor({ timeout: 15_000 });
  assert.match(await banner.innerText(), /已失效[\s\S]*请勿继续使用[\s\S]*监测站点已调整，旧数据失效/);
  await page.goto(server.url + '/');
  await page.locator('.dataset-card[data-id=hb-air-quality] .badge.status-invalid').waitFor({ timeout: 15_000 });
  await screenshot(page, 'filing-steps-c-invalid');
  assert.deepEqual(errors, []);
  await context.close();
});

test('(d) MISSION C3, Xiangxi 39: "my filings" marks an overdue reply and shows the extension notice with who consented', async () => {
  const server = await serve(await buildCatalog('xiangxi'));
  const { context, page, errors } = await openPage(browser);
  await fillErrorReport(page, server.url);
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();
  await review(['start', reference, '--department', 'sthjj'], server);
  await review(['extend', reference, '--department', 'sthjj', '--days', '5', '--notice', '需调取监测站原始记录核对',
    '--consented-by', '赵六（局长，主要负责人）'], server);

  // Not overdue today: no mark.
  let item = await filedItem(page, server.url, reference, 'extended');
  assert.equal(await item.getByTestId('overdue').count(), 0, 'a reply still in time is not marked');
  const extension = item.locator('li[data-action=extend]');
  assert.match(await extension.innerText(), /需调取监测站原始记录核对/);
  assert.match(await extension.getByTestId('consented-by').innerText(), /赵六（局长，主要负责人）/);

  // The server's clock cannot be moved from a browser; the intake's own `overdue` flag is
  // proven by the API tests (overdue_replies_are_flagged). Here its answer is passed on with
  // the flag the intake sets once the extended date has passed, to see what the filer sees.
  await page.route('**/api/v1/filing', async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    await route.fulfill({ response: res, json: { ...body, overdue: true } });
  });
  item = await filedItem(page, server.url, reference, 'extended');
  const mark = item.getByTestId('overdue');
  await mark.waitFor({ timeout: 15_000 });
  assert.match(await mark.innerText(), /已超过答复期限/);
  assert.match(await item.locator('li[data-action=extend]').innerText(), /需调取监测站原始记录核对/, 'the notice stays beside the mark');
  await screenshot(page, 'filing-steps-d-overdue');
  assert.deepEqual(errors, []);
  await context.close();
});

test('(e) MISSION B3, Aba 33 ¶2 / Xiangxi 45: a dataset reopened after processing is a new version, with and without JavaScript', async () => {
  const built = await buildCatalog();
  const server = await serve({ ...built, pages: await renderPages(built.catalog) });
  const res = await fetch(server.url + '/api/v1/filings', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'e2e-b3-reopen-0000000001' },
    body: JSON.stringify({
      kind: 'objection',
      requester: { name: '李四', contact: { email: 'li.si@example.cn' }, id_document: { kind: 'resident_id', number: '44011320141005001X' } },
      relation: 'data_subject', dataset_id: 'jt-bus-stops', scope: { kind: 'rows', rows: [2, 3] },
      grounds: ['personal_information'], statement: '第 2、3 行含有本人的姓名和电话号码。', requested_action: 'desensitise_and_reopen',
    }),
  });
  const answer = await res.text();
  assert.equal(res.status, 201, answer);
  const { reference } = JSON.parse(answer);
  await review(['start', reference, '--department', 'jtj'], server);
  await review(['act', reference, '--department', 'jtj', '--json', '{"action":"suspend_dataset","note":"核实期间中止开放"}'], server);
  await review(['act', reference, '--department', 'jtj', '--json', '{"action":"reopen_processed","note":"已删除第 2、3 行的个人信息后重新开放"}'], server);

  // Without JavaScript: the page rendered again with the new version (2.1 → 2.2).
  const plain = await openPage(browser, { javaScriptEnabled: false });
  await plain.page.goto(server.url + '/datasets/jt-bus-stops', { builtOnly: true });
  assert.equal((await plain.page.getByTestId('record-version').locator('dd').innerText()).trim(), '2.2');
  const first = await plain.page.getByTestId('version-history').locator('li').first().innerText();
  assert.match(first, /^2\.2 · \d{4}-\d\d-\d\d · 已删除第 2、3 行的个人信息后重新开放$/);
  await plain.context.close();

  // The app lays the intake's overlay over the record the same way.
  const { context, page, errors } = await openPage(browser);
  await page.goto(server.url + '/datasets/jt-bus-stops');
  const version = page.getByTestId('record-version').locator('dd');
  await version.waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=record-version] dd')?.textContent.trim() === '2.2', null, { timeout: 15_000 });
  const history = await page.getByTestId('version-history').locator('li').allInnerTexts();
  assert.match(history[0], /^2\.2 · .* · 已删除第 2、3 行的个人信息后重新开放$/);
  assert.match(history[1], /^2\.1 · 2026-10-28/, 'the earlier versions stay listed');
  await screenshot(page, 'filing-steps-e-new-version');
  assert.deepEqual(errors, []);
  await context.close();
});
