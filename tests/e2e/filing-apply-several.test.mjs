// One application for several conditional datasets of one department (issue 6; MISSION C1
// "the datasets … requested"): the form offers the department's other conditional datasets
// (found through the search index), and the intake, the receipt and `kaifang review` carry
// every dataset asked for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, screenshot } from './lib.mjs';
import { review } from './intake.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an application names two conditional datasets of the same department (one narrowed to a field); the filing holds both', async () => {
  const { context, page, errors, foreign } = await openPage(browser);
  await page.goto(`${BASE}/file/apply?dataset=yb-settlement`);
  await page.locator('[data-form=application]').waitFor();
  const more = page.getByTestId('more-datasets');
  // The department's (ybj) other conditional dataset is offered; open or other departments' are not.
  await more.locator('#f-more-yb-outpatient-claims').waitFor({ timeout: 15_000 });
  assert.equal(await more.locator('input[type=checkbox]').count(), 1, await more.innerText());
  await more.locator('#f-more-yb-outpatient-claims').focus();
  await page.keyboard.press('Space');
  assert.ok(await more.locator('#f-more-yb-outpatient-claims').isChecked());
  // Narrowed to one of its fields (C1: "where wanted, the fields requested").
  await more.getByTestId('more-fields-yb-outpatient-claims').locator('summary').click();
  await more.locator('#f-more-yb-outpatient-claims-bzmc').check();

  await page.selectOption('#f-applicant-type', 'legal_person');
  await page.fill('#f-applicant-name', '示例大学公共卫生学院');
  await page.selectOption('#f-applicant-org_category', 'research_institute');
  await page.fill('#f-applicant-id_document-number', '91310115MA1K3BTP2B');
  await page.fill('#f-applicant-contact-email', 'research@example.edu.cn');
  await page.fill('#f-purpose', '门诊与住院结算联动分析研究');
  await page.fill('#f-scope_of_use', '仅限课题组内部');
  // A reload keeps the second dataset in the draft.
  await page.reload();
  await page.locator('[data-form=application]').waitFor();
  await page.getByTestId('more-datasets').locator('#f-more-yb-outpatient-claims').waitFor({ timeout: 15_000 });
  assert.ok(await page.locator('#f-more-yb-outpatient-claims').isChecked());
  await page.getByTestId('more-fields-yb-outpatient-claims').locator('summary').click();
  assert.ok(await page.locator('#f-more-yb-outpatient-claims-bzmc').isChecked());
  await page.fill('#f-scenario', '门诊统筹与住院结算的关联分析');
  await page.fill('#f-users', '张三');
  await page.fill('#f-security_measures', '数据沙箱内使用，专人专机，访问留痕');
  await page.fill('#f-period-start', '2027-01-01');
  await page.fill('#f-period-end', '2027-06-30');
  await page.fill('#f-volume', '2025 年全年');
  await page.fill('#f-frequency', '一次');
  await page.check('#f-security_commitment_ack');
  await page.check('#f-data_use_agreement_ack');
  await page.getByRole('button', { name: '提交' }).click();
  const receipt = page.getByTestId('receipt');
  await receipt.waitFor({ timeout: 15_000 });
  assert.match(await receipt.innerText(), /yb-settlement, yb-outpatient-claims/);
  await screenshot(page, 'filing-apply-several');
  const reference = (await page.getByTestId('reference').innerText()).trim();
  const shown = await review(['show', reference, '--department', 'ybj']);
  assert.deepEqual(shown.filing.datasets, [{ id: 'yb-settlement', fields: [] }, { id: 'yb-outpatient-claims', fields: ['bzmc'] }]);
  assert.deepEqual(shown.dataset_ids, ['yb-settlement', 'yb-outpatient-claims']);
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});
