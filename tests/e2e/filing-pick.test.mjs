// Picking an objection's scope and an error's cell in the dataset preview (issue 6; MISSION
// O1 "rows picked in the preview", E1), driven by keyboard (Space on the checkboxes), then
// checked where it lands: in the intake's database through `kaifang review`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, screenshot } from './lib.mjs';
import { buildCatalog, cleanUp, review, serve } from './intake.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); await cleanUp(); });

/** Opens a dataset page (on `base`) and waits for the preview's first rows. */
async function openPreview(id, options, base = BASE) {
  const opened = await openPage(browser, options);
  await opened.page.goto(`${base}/datasets/${id}`);
  await opened.page.locator('.grid tbody tr:not(.loading)').first().waitFor({ timeout: 30_000 });
  return opened;
}

/** Ticks a checkbox with the keyboard: focus it, press Space. */
async function tick(page, selector) {
  await page.locator(selector).focus();
  await page.keyboard.press('Space');
  assert.ok(await page.locator(selector).isChecked(), `${selector} is ticked`);
}

test('rows 2 and 4–5 and one column picked in the preview become the objection scope, and the filing holds exactly them', async () => {
  // Its own intake and catalog: the reopening below makes a new version of the dataset (B3),
  // which journeys on the shared server must not see.
  const server = await serve(await buildCatalog());
  const { context, page, errors, foreign } = await openPreview('jt-bus-stops', undefined, server.url);
  await page.getByTestId('pick-toggle').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('pick-toggle').getAttribute('aria-pressed'), 'true');
  for (const row of ['2', '4', '5']) await tick(page, `.grid input.pick-row[data-row="${row}"]`);
  const col = await page.$$eval('.grid thead th', (ths) => ths.findIndex((th) => th.textContent.includes('站点名称')) - 1);
  assert.ok(col >= 0);
  await tick(page, `.grid input.pick-col[data-col="${col}"]`);
  assert.match(await page.getByTestId('pick-summary').innerText(), /已选 3 行：2, 4-5；1 个字段：站点名称/);
  assert.equal(await page.locator('.grid tbody tr.picked').count(), 3);
  await screenshot(page, 'filing-pick-preview');

  await page.getByTestId('pick-object').focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-form=objection]').waitFor();
  assert.equal(await page.inputValue('#f-scope-kind'), 'cells');
  assert.equal(await page.inputValue('#f-scope-rows'), '2, 4-5');
  assert.ok(await page.locator('[id="f-scope-fields-站点名称"]').isChecked());
  assert.ok(!(await page.locator('[id="f-scope-fields-站点序号"]').isChecked()));
  // The hand-over leaves the address once the draft holds it; a reload restores the draft.
  await page.waitForURL(/\/file\/object\?dataset=jt-bus-stops$/);
  await page.reload();
  await page.locator('[data-form=objection]').waitFor();
  assert.equal(await page.inputValue('#f-scope-rows'), '2, 4-5');
  assert.ok(await page.locator('[id="f-scope-fields-站点名称"]').isChecked());

  await page.fill('#f-requester-name', '某某公交广告有限公司');
  await page.fill('#f-requester-contact-email', 'legal@example.com');
  await page.selectOption('#f-relation', 'rights_holder');
  await page.check('#f-grounds-trade_secret');
  await page.fill('#f-statement', '第 2、4、5 行的站点名称为本公司冠名合同约定、尚未公开的名称。');
  await page.selectOption('#f-requested_action', 'correct');
  await screenshot(page, 'filing-pick-objection');
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();
  const shown = await review(['show', reference, '--department', 'jtj'], server);
  assert.deepEqual(shown.filing.scope, { kind: 'cells', fields: ['站点名称'], rows: [2, 4, 5] });

  // The provider corrects the names and reopens. This portal's rules (Yunnan) offer no review
  // (复核): "my filings" says so, citing the rule set, and shows no review form.
  await review(['start', reference, '--department', 'jtj'], server);
  await review(['act', reference, '--department', 'jtj', '--json', '{"action":"reopen_processed","note":"已核实，更正第 2、4、5 行站点名称后重新开放"}'], server);
  await page.goto(server.url + '/filings');
  const item = page.locator(`[data-testid=filed-item][data-reference="${reference}"]`);
  await item.locator('[data-state=processed_and_reopened]').waitFor({ timeout: 15_000 });
  const none = item.getByTestId('no-review');
  await none.waitFor({ timeout: 15_000 });
  assert.match(await none.innerText(), /《云南省政务数据开放规定\(2021征求意见稿\)》没有规定对异议处理结果申请复核的程序/);
  assert.equal(await item.locator('#request_review-text').count(), 0, 'no review form where the rules offer none');
  await page.evaluate(() => localStorage.setItem('kaifang.lang', '"en"'));
  await page.reload();
  await item.getByTestId('no-review').waitFor({ timeout: 15_000 });
  assert.match(await item.getByTestId('no-review').innerText(), /\(Yunnan government data opening provisions \(2021 draft\)\) provide no review \(复核\)/);
  await screenshot(page, 'filing-pick-no-review');
  assert.deepEqual(foreign.filter((u) => !u.startsWith(server.url)), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('"report an error in this cell" prefills row, field and current value (keyboard: one row and one column; mouse: a click)', async () => {
  const { context, page, errors } = await openPreview('jt-bus-stops', { locale: 'en-GB' });
  await page.evaluate(() => localStorage.setItem('kaifang.lang', '"en"'));
  await page.reload();
  await page.locator('.grid tbody tr:not(.loading)').first().waitFor({ timeout: 30_000 });
  await page.getByTestId('pick-toggle').click();
  const headers = await page.$$eval('.grid thead th', (ths) => ths.slice(1).map((th) => th.textContent.trim()));
  const col = headers.indexOf('站点名称');
  assert.ok(col >= 0, headers.join('|'));
  await tick(page, '.grid input.pick-row[data-row="5"]');
  await tick(page, `.grid input.pick-col[data-col="${col}"]`);
  const value = await page.locator('.grid tbody tr[data-row="4"] td').nth(col).innerText();
  assert.equal(value, '大学城,北门', 'the quoted CSV cell, comma included');
  const report = page.getByTestId('pick-report');
  assert.equal((await report.innerText()).trim(), 'Report an error in this cell (row 5, 站点名称)');
  await report.focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-form=error_report]').waitFor();
  assert.equal(await page.inputValue('#f-location-row'), '5');
  assert.equal(await page.inputValue('#f-location-field'), '站点名称');
  assert.equal(await page.inputValue('#f-current_value'), '大学城,北门');

  // A mouse user clicks the cell instead.
  await page.goBack();
  await page.locator('.grid tbody tr:not(.loading)').first().waitFor({ timeout: 30_000 });
  await page.getByTestId('pick-toggle').click();
  await page.locator('.grid tbody tr[data-row="1"] td').nth(col).click();
  assert.match(await page.getByTestId('pick-report').innerText(), /row 2, 站点名称/);
  await page.getByTestId('pick-report').click();
  await page.locator('[data-form=error_report]').waitFor();
  assert.equal(await page.inputValue('#f-location-row'), '2');
  assert.equal(await page.inputValue('#f-current_value'), '人民广场');

  // A hand-over naming a field the dataset does not have is refused in words, not dropped.
  await page.goto(`${BASE}/file/report?dataset=jt-bus-stops&row=3&field=${encodeURIComponent('车牌号')}`);
  await page.locator('[data-form=error_report]').waitFor();
  assert.match(await page.getByTestId('pick-error').innerText(), /The dataset has no field “车牌号”/);
  assert.deepEqual(errors, []);
  await context.close();
});
