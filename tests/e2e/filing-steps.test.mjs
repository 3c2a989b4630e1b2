// What a filer sees of the rules to the letter (issue 19), each journey on a server of its own
// under the rule set it needs, the provider and the data authority acting through
// `kaifang review`:
// (a) MISSION C3, Xiangxi 35: two steps — the department's 审核, then the authority's 审批 —
//     with the extension's notice and who consented (主要负责人) on "my filings";
// (b) MISSION E1, Aba 20 ¶3: an error report filed with the data authority, forwarded to the
//     department, the department's 5-working-day clock then running;
// (c) MISSION B3, Xiangxi 39: an invalid (失效) dataset carries its mark and notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, screenshot } from './lib.mjs';
import { buildCatalog, cleanUp, review, serve } from './intake.mjs';

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
  await page.goto(server.url + '/file/report?dataset=hb-air-quality');
  await page.locator('[data-form=error_report]').waitFor();
  await page.fill('#f-reporter-name', '王五');
  await page.fill('#f-reporter-contact-phone', '010-12345678');
  await page.fill('#f-location-row', '7');
  await page.fill('#f-explanation', '第 7 行 PM2.5 数值与监测站公布值不一致。');
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
