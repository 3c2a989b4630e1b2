// MISSION X2, X1. Every filing form by keyboard alone, at 360 px, in zh-CN and in English (issue 6: "Every form
// works by keyboard alone and at 360 px width, in zh-CN and English").
//
// Each journey starts where a person starts (the dataset page, or a search that found nothing),
// reaches the form with Tab and Enter, submits it empty once (the problems must be listed in the
// page's language, with focus on the list), then walks the form with Tab only, typing, choosing
// options with the arrow keys and ticking boxes with Space, and files it with Enter. On the way
// every control it reaches must have a label and a visible focus ring, and the page must never
// scroll sideways at 360 px. A screenshot of each receipt is kept in artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, screenshot, takenOver } from './lib.mjs';
import { review, shared } from './intake.mjs';

const REPO = new URL('../../', import.meta.url).pathname;
/** The UI's own messages, so checks follow the message files rather than copies of them. */
const M = JSON.parse(readFileSync(REPO + 'messages/filing.json', 'utf8'));
const msg = (key, lang) => M[key][lang === 'zh' ? 'zh-CN' : 'en'];
const HAN = /[\u4e00-\u9fff]/;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A 360 px wide page in `lang` ('zh' or 'en'). */
async function narrowPage(lang) {
  const opened = await openPage(browser, { locale: lang === 'zh' ? 'zh-CN' : 'en-GB', viewport: { width: 360, height: 780 } });
  await opened.page.addInitScript((l) => localStorage.setItem('kaifang.lang', JSON.stringify(l)), lang);
  return opened;
}

/** What the focused element is, and whether it is labelled and shows focus. */
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    const byId = (ids) => (ids ?? '').split(/\s+/).map((i) => document.getElementById(i)?.innerText ?? '').join(' ');
    const label = (e.labels?.length ? [...e.labels].map((l) => l.innerText).join(' ') : '')
      || e.getAttribute('aria-label') || byId(e.getAttribute('aria-labelledby'));
    return {
      id: e.id,
      tag: e.tagName.toLowerCase(),
      submit: e.matches('.submit-bar button[type=submit]'),
      inForm: !!e.closest('.filing-form, .filer-action'),
      label: (label ?? '').trim(),
      ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none',
    };
  });
}

/** Presses Tab until `selector` has focus (keyboard only). */
async function tabTo(page, selector, limit = 150) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`could not reach ${selector} with Tab`);
}

/**
 * Walks the form with Tab from where focus is, up to its submit button, doing for each control
 * what `plan` says: a string is typed, `{ down: n }` presses ArrowDown n times (a select), `'space'`
 * ticks a box. A key ending in `*` matches ids by prefix, once. Returns the controls reached.
 */
async function fillByKeyboard(page, plan) {
  const reached = new Map();
  const used = new Set();
  for (let i = 0; i < 250; i++) {
    await page.keyboard.press('Tab');
    const el = await focused(page);
    if (el.submit) return [...reached.values()];
    // A date input keeps focus across its segments; each control is handled once.
    if (!el.inForm || reached.has(el.id)) continue;
    reached.set(el.id, el);
    assert.ok(el.label, `${el.tag}#${el.id} has a label`);
    assert.ok(el.ring, `${el.tag}#${el.id} shows where focus is`);
    let key = el.id in plan ? el.id : null;
    if (!key) {
      key = Object.keys(plan).find((k) => k.endsWith('*') && !used.has(k) && el.id.startsWith(k.slice(0, -1))) ?? null;
    }
    if (!key) continue;
    used.add(key);
    const action = plan[key];
    if (action === 'space') await page.keyboard.press('Space');
    else if (typeof action === 'object') for (let n = 0; n < action.down; n++) await page.keyboard.press('ArrowDown');
    else await page.keyboard.type(action);
  }
  throw new Error('never reached the submit button');
}

async function noSideScroll(page, where) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${where}: no horizontal scrolling at 360 px (page is ${width} px wide)`);
}

/**
 * Submits empty, checks the problem list, fills by keyboard, files with Enter; answers the
 * reference. `plan` must make the form valid.
 */
async function fileByKeyboard(page, lang, kindTitle, plan, label) {
  // A form is another kind of page than the one that linked to it: loaded in full, taken over.
  await takenOver(page);
  assert.equal((await page.locator('h1').innerText()).trim(), msg(kindTitle, lang));
  await tabTo(page, '.submit-bar button[type=submit]');
  await page.keyboard.press('Enter');
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  // Focus moves to the list of problems (on the next frame).
  await page.waitForFunction(() => document.activeElement?.id === 'error-summary', null, { timeout: 5_000 });
  const problems = await summary.innerText();
  if (lang === 'zh') assert.match(problems, /此项为必填项/);
  else {
    assert.match(problems, /This field is required/);
    assert.doesNotMatch(problems, HAN, 'English problems carry no Chinese');
  }
  await noSideScroll(page, `${label} with problems`);

  const reached = await fillByKeyboard(page, plan);
  assert.ok(reached.length >= 5, `the walk reached the form's controls (${reached.map((r) => r.id).join(', ')})`);
  const still = await page.locator('.filing-form .field-error:visible').allInnerTexts();
  assert.deepEqual(still.filter((s) => s.trim()), [], `${label}: every problem was fixed by keyboard`);
  await noSideScroll(page, `${label} filled`);
  await page.keyboard.press('Enter');
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  assert.equal((await page.locator('#receipt-title').innerText()).trim(), msg('filing.receipt.title', lang));
  await noSideScroll(page, `${label} receipt`);
  await screenshot(page, `forms-a11y-${label}`);
  return (await page.getByTestId('reference').innerText()).trim();
}

/** From a dataset page, Tab to the action link and follow it with Enter. */
async function openFromDataset(page, datasetId, action, form) {
  await page.goto(`${shared.url}/datasets/${datasetId}`);
  await page.getByTestId(`action-${action}`).waitFor();
  await noSideScroll(page, `${datasetId} page`);
  await tabTo(page, `[data-testid=action-${action}]`);
  await page.keyboard.press('Enter');
  await page.locator(`[data-form=${form}]`).waitFor();
}

const APPLICATION = {
  zh: {
    'f-applicant-type': { down: 2 }, // legal person
    'f-applicant-name': '示例大学公共卫生学院',
    'f-applicant-org_category': { down: 2 }, // research institute
    'f-applicant-id_document-number': '91310115MA1K3BTP2B',
    'f-applicant-contact-phone': '13812345678',
    'f-datasets-fields-*': 'space',
    'f-purpose': '医保基金支付方式改革效果评估研究',
    'f-scope_of_use': '仅限课题组内部',
    'f-scenario': '按病种分析统筹支付变化',
    'f-users': '张三\n李四',
    'f-security_measures': '数据沙箱内使用，专人专机，访问留痕',
    'f-period-start': '01012027',
    'f-period-end': '01012028',
    'f-volume': '2025 年全年结算明细',
    'f-frequency': '一次',
    'f-public_interest_declaration': 'space',
    'f-security_commitment_ack': 'space',
    'f-data_use_agreement_ack': 'space',
  },
  en: {
    'f-applicant-type': { down: 1 }, // natural person
    'f-applicant-name': 'Li Lei',
    'f-applicant-id_document-number': '11010519491231002X',
    'f-applicant-contact-email': 'li.lei@example.cn',
    'f-purpose': 'Evaluating the reform of medical-insurance payments',
    'f-scope_of_use': 'Research group only',
    'f-scenario': 'Analysis by disease group',
    'f-users': 'Li Lei\nHan Meimei',
    'f-security_measures': 'Sandbox, named machine, access logged',
    'f-period-start': '01012027',
    'f-period-end': '01012028',
    'f-volume': 'All 2025 settlements',
    'f-frequency': 'Once',
    'f-security_commitment_ack': 'space',
    'f-data_use_agreement_ack': 'space',
  },
};

const OBJECTION = {
  zh: {
    'f-requester-name': '某某公交广告有限公司',
    'f-requester-contact-email': 'legal@example.com',
    'f-relation': { down: 2 }, // rights holder
    'f-scope-kind': { down: 2 }, // whole → fields → rows
    'f-scope-rows': '2, 4-5',
    'f-grounds-trade_secret': 'space',
    'f-statement': '第 2、4–5 行为本公司尚未公开的站点广告合同信息。',
    'f-requested_action': { down: 2 }, // suspend
  },
  // A withdrawal request by the person the data is about, for one field.
  en: {
    'f-requester-name': 'Han Meimei',
    'f-requester-contact-phone': '13912345678',
    'f-relation': { down: 1 }, // data subject
    'f-scope-kind': { down: 1 }, // whole → fields
    'f-scope-fields-*': 'space',
    'f-grounds-personal_information': 'space',
    'f-statement': 'The stop names include my private address.',
    'f-requested_action': { down: 1 }, // withdraw
  },
};

const REPORT = {
  zh: {
    'f-reporter-name': '王五',
    'f-reporter-contact-phone': '010-12345678',
    'f-location-row': '3',
    'f-location-field': { down: 1 },
    'f-current_value': '旧值',
    'f-proposed_value': '新值',
    'f-explanation': '第 3 行与现场站牌不一致。',
  },
  en: {
    'f-reporter-name': 'Wang Wu',
    'f-reporter-contact-email': 'wang.wu@example.cn',
    'f-location-row': '3',
    'f-location-field': { down: 2 },
    'f-current_value': 'old',
    'f-proposed_value': 'new',
    'f-explanation': 'Row 3 does not match the sign at the stop.',
  },
};

const REQUEST = {
  zh: {
    'f-requester-name': '李雷',
    'f-requester-contact-email': 'li.lei@example.cn',
    'f-title': '公交准点率（按线路）',
    'f-description': '每条公交线路每日准点率，2024 年起，按月更新。',
    'f-purpose': '通勤应用展示可靠线路。',
  },
  en: {
    'f-requester-name': 'Li Lei',
    'f-requester-contact-email': 'li.lei@example.cn',
    'f-title': 'Bus punctuality by route',
    'f-description': 'Daily on-time rate per bus route, 2024 onwards, updated monthly.',
    'f-purpose': 'Commuter app showing reliable routes.',
  },
};

for (const lang of ['zh', 'en']) {
  test(`${lang}: an application for a conditional dataset, by keyboard at 360 px`, async () => {
    const { context, page, errors, foreign } = await narrowPage(lang);
    await openFromDataset(page, 'yb-settlement', 'apply', 'application');
    const reference = await fileByKeyboard(page, lang, 'filing.apply.title', APPLICATION[lang], `application-${lang}`);
    assert.match(reference, /^SQ-\d{4}-\d{6}$/);
    const shown = await review(['show', reference, '--department', 'ybj']);
    assert.equal(shown.filing.applicant.type, lang === 'zh' ? 'legal_person' : 'natural_person');
    assert.equal(shown.filing.period.end, '2028-01-01', 'the date typed into the date field arrived');
    assert.ok(shown.filing.security_commitment_ack && shown.filing.data_use_agreement_ack, 'Space ticked the declarations');

    // The provider asks for more information; the applicant answers on "my filings", by keyboard.
    await review(['start', reference, '--department', 'ybj']);
    await review(['act', reference, '--department', 'ybj', '--json',
      JSON.stringify({ action: 'request_information', message: lang === 'zh' ? '请补充数据沙箱的说明。' : 'Please describe the sandbox.' })]);
    await page.goto(`${shared.url}/filings`);
    const item = page.locator(`[data-testid=filed-item][data-reference="${reference}"]`);
    await item.locator('[data-state=information_requested]').waitFor({ timeout: 15_000 });
    await noSideScroll(page, 'my filings');
    // The filing names its dataset by title, read from the catalog.
    await item.locator('a[href="/datasets/yb-settlement"]', { hasText: '医疗保障基金结算明细' }).waitFor({ timeout: 15_000 });
    await tabTo(page, '#supply_information-text');
    const field = await focused(page);
    assert.ok(field.label && field.ring, 'the answer box is labelled and shows focus');
    await page.keyboard.type(lang === 'zh' ? '沙箱由学校信息中心运维，离线使用。' : 'The sandbox is run offline by the university.');
    await tabTo(page, '[data-testid=supply_information] button[type=submit]');
    await page.keyboard.press('Enter');
    await item.locator('[data-state=under_review]').waitFor({ timeout: 15_000 });
    await screenshot(page, `forms-a11y-supplied-${lang}`);
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`${lang}: ${lang === 'zh' ? 'an objection to rows' : 'a request to withdraw one field'}, by keyboard at 360 px`, async () => {
    const { context, page, errors } = await narrowPage(lang);
    await openFromDataset(page, 'jt-bus-stops', 'object', 'objection');
    const reference = await fileByKeyboard(page, lang, 'filing.object.title', OBJECTION[lang], `objection-${lang}`);
    assert.match(reference, /^YY-\d{4}-\d{6}$/);
    const shown = await review(['show', reference, '--department', 'jtj']);
    if (lang === 'zh') {
      assert.deepEqual(shown.filing.scope.rows, [2, 4, 5]);
      assert.equal(shown.filing.requested_action, 'suspend');
    } else {
      assert.equal(shown.filing.scope.kind, 'fields');
      assert.equal(shown.filing.scope.fields.length, 1, 'Space ticked one field');
      assert.equal(shown.filing.requested_action, 'withdraw');
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`${lang}: an error report, by keyboard at 360 px`, async () => {
    const { context, page, errors } = await narrowPage(lang);
    await openFromDataset(page, 'jt-bus-stops', 'report', 'error_report');
    const reference = await fileByKeyboard(page, lang, 'filing.report.title', REPORT[lang], `report-${lang}`);
    assert.match(reference, /^JC-\d{4}-\d{6}$/);
    const shown = await review(['show', reference, '--department', 'jtj']);
    assert.equal(shown.filing.location.row, 3);
    assert.ok(shown.filing.location.field, 'a field was chosen with the arrow keys');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`${lang}: a data request from a search that found nothing, by keyboard at 360 px`, async () => {
    const { context, page, errors } = await narrowPage(lang);
    await page.goto(`${shared.url}/`);
    await page.locator('input[type=search]').waitFor();
    await tabTo(page, 'input[type=search]');
    await page.keyboard.type(lang === 'zh' ? '火星探测器遥测' : 'zzyzx');
    // Nothing fits: the list empties (and the URL carries the query).
    await page.waitForURL(/[?&]q=/, { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('#search-results .dataset-card').length === 0, null, { timeout: 15_000 });
    await noSideScroll(page, 'search with no results');
    await tabTo(page, '[data-testid=request-link]');
    await page.keyboard.press('Enter');
    // The form is another kind of page: a page load, then its module takes the built page over
    // (both are in the document for a moment).
    await page.waitForURL(/\/file\/request/);
    await takenOver(page);
    await page.locator('[data-form=data_request]').waitFor();
    const reference = await fileByKeyboard(page, lang, 'filing.request.title', REQUEST[lang], `request-${lang}`);
    assert.match(reference, /^XQ-\d{4}-\d{6}$/);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('en: a data request from the 404 page, typed step by step: the e-mail is checked as it is typed', async () => {
  const { context, page, errors } = await narrowPage('en');
  await page.goto(shared.url + '/nothing-here');
  // The 404 page offers the data request.
  await page.getByTestId('request-link').waitFor();
  await tabTo(page, '[data-testid=request-link]', 80);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/file\/request$/);
  await page.locator('[data-form=data_request]').waitFor();
  assert.equal(await page.locator('h1').innerText(), 'Request data not in the catalog');

  // Submitting empty shows every problem in English, focused for keyboard users.
  await tabTo(page, 'button[type=submit]', 80);
  await page.keyboard.press('Enter');
  await page.locator('#error-summary').waitFor();
  assert.match(await page.locator('#error-summary').innerText(), /This field is required/);
  // focus_summary moves the focus in the next frame.
  await page.waitForFunction(() => document.activeElement?.id === 'error-summary', null, { timeout: 5_000 });

  await tabTo(page, '#f-requester-name', 80);
  await page.keyboard.type('Li Lei');
  await tabTo(page, '#f-requester-contact-email', 80);
  await page.keyboard.type('li.lei@example');
  await page.locator('.field-error', { hasText: 'e-mail address is not valid' }).waitFor();
  await page.keyboard.type('.cn');
  await tabTo(page, '#f-title', 80);
  await page.keyboard.type('Bus punctuality by route');
  await tabTo(page, '#f-description', 80);
  await page.keyboard.type('Daily on-time rate per bus route, 2024 onwards, updated monthly.');
  await tabTo(page, '#f-purpose', 80);
  await page.keyboard.type('Commuter app showing reliable routes.');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scrolling at 360 px (page is ${width} px wide)`);
  await tabTo(page, 'button[type=submit]', 80);
  await page.keyboard.press('Enter');
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  assert.match(await page.getByTestId('reference').innerText(), /^XQ-\d{4}-\d{6}$/);
  assert.match(await page.getByTestId('deadline').innerText(), /working days/);
  await screenshot(page, 'filing-keyboard-360-en');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every page fits 360 px in both languages (no sideways scrolling)', async () => {
  const pages = ['/', '/?q=%E5%85%AC%E4%BA%A4', '/datasets/jt-bus-stops', '/datasets/yb-settlement', '/datasets/hb-air-quality',
    '/my', '/filings', '/rights', '/file/apply?dataset=yb-settlement', '/file/object?dataset=jt-bus-stops', '/no-such-page'];
  const wide = [];
  for (const lang of ['zh', 'en']) {
    const { context, page, errors } = await narrowPage(lang);
    for (const path of pages) {
      await page.goto(shared.url + path);
      await page.locator('main h1, h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 360) wide.push(`${lang} ${path}: ${width} px`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
  assert.deepEqual(wide, [], 'pages wider than the 360 px screen');
});
