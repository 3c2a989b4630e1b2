// Signing in (issue 15): a real OpenID provider (oidc-provider) and a real SMTP server
// (aiosmtpd) started here, an intake of its own under Xiangxi's rules (applications need
// unified identity authentication, Xiangxi 20 and 35).
//
// - a researcher signs in; the session says who they are (verified claims); an
//   application without sign-in is refused, with it the verified identity is what is filed;
//   a second browser context (another device) signed in as the same person lists the
//   filing without any receipt;
// - an official's session maps to their department and acts on it; another department's
//   official never sees it, through the API either;
// - the researcher receives the e-mails of each state change, Chinese first;
// - a filing made without signing in moves to the account with its receipt token;
// - logging out ends the session;
// - in the app: the draft survives the sign-in redirect, the identity is prefilled and locked,
//   "my filings" marks what changed, lists the account's filings on another device, and adds
//   a filing from the code on its receipt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './lib.mjs';
import { api, application, decodeMail, signIn, signInJourneys, waitForMail } from './signin.mjs';

const ctx = signInJourneys('xiangxi');

let reference;

test('a researcher signs in, files with verified identity, and sees the filing on another device', async () => {
  const base = ctx.world.server.url;
  const { context, page } = await openPage(ctx.browser);
  // Without signing in, Xiangxi's rules refuse an application.
  await page.goto(`${base}/filings`);
  let res = await api(page, '/api/v1/filings', { method: 'POST', body: application() });
  assert.equal(res.status, 401, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'sign_in_required');

  await signIn(page, base, 'researcher', '/filings');
  assert.equal(new URL(page.url()).pathname, '/filings', 'back where the sign-in started');
  const cookies = await context.cookies(base);
  const session = cookies.find((c) => c.name === 'kaifang_session');
  assert.ok(session, JSON.stringify(cookies));
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
  res = await api(page, '/api/v1/session');
  assert.equal(res.body.signed_in, true, JSON.stringify(res.body));
  assert.equal(res.body.name, '张研究');
  assert.equal(res.body.id_number, '11010519491231002X');
  assert.equal(res.body.role, 'filer');

  res = await api(page, '/api/v1/filings', { method: 'POST', body: application() });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  reference = res.body.reference;

  // Another device: a fresh context, the same person.
  const other = await openPage(ctx.browser);
  await signIn(other.page, base, 'researcher', '/filings');
  res = await api(other.page, '/api/v1/my/filings');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.filings.map((f) => f.reference), [reference]);
  await other.context.close();
  await context.close();
});

test("an official's session acts for their department; another department's official sees nothing", async () => {
  const base = ctx.world.server.url;
  const jt = await openPage(ctx.browser);
  await signIn(jt.page, base, 'official-jt', '/');
  let res = await api(jt.page, '/api/v1/session');
  assert.equal(res.body.role, 'department');
  assert.equal(res.body.department_id, 'jtj');
  res = await api(jt.page, '/api/v1/department/filings');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.ok(res.body.filings.some((f) => f.reference === reference), JSON.stringify(res.body));

  const hb = await openPage(ctx.browser);
  await signIn(hb.page, base, 'official-hb', '/');
  res = await api(hb.page, '/api/v1/department/filings');
  assert.equal(res.status, 200);
  assert.ok(!res.body.filings.some((f) => f.reference === reference));
  res = await api(hb.page, `/api/v1/department/filings/${reference}`);
  assert.equal(res.status, 404);
  res = await api(hb.page, `/api/v1/department/filings/${reference}/actions`, { method: 'POST', body: { action: 'reject', reason: '不属于本部门' } });
  assert.equal(res.status, 404);
  // A researcher is no official.
  const researcher = await openPage(ctx.browser);
  await signIn(researcher.page, base, 'researcher', '/');
  res = await api(researcher.page, '/api/v1/department/filings');
  assert.equal(res.status, 403);

  // The owning department acts; the researcher is told by e-mail, Chinese first.
  for (const body of [{ action: 'start_review' }, { action: 'request_information', message: '请补充课题立项证明' }]) {
    res = await api(jt.page, `/api/v1/department/filings/${reference}/actions`, { method: 'POST', body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  await waitForMail(ctx.world.maildir, (m) => decodeMail(m).includes('审核中'));
  const mail = await waitForMail(ctx.world.maildir, (m) => decodeMail(m).includes('请补充课题立项证明'));
  assert.match(mail, /^To: researcher@example\.edu\.cn/mi);
  const decoded = decodeMail(mail);
  assert.ok(decoded.includes(reference), decoded);
  assert.ok(decoded.indexOf('您好') < decoded.indexOf('Hello'), decoded);
  assert.ok(decoded.includes('请补充课题立项证明'), decoded);
  for (const p of [jt, hb, researcher]) await p.context.close();
});

test('a filing made without signing in moves to the account with its receipt token', async () => {
  const base = ctx.world.server.url;
  const { context, page } = await openPage(ctx.browser);
  await page.goto(`${base}/filings`);
  const report = {
    kind: 'error_report', reporter: { name: '路人', contact: { email: 'walker@example.cn' } },
    dataset_id: 'jt-vehicle-trajectories', location: { row: 3, field: 'sd' },
    current_value: '900', proposed_value: '90', explanation: '速度多了一个零。',
  };
  let res = await api(page, '/api/v1/filings', { method: 'POST', body: report });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const { token, reference: ref } = res.body;
  await context.close();

  const phone = await openPage(ctx.browser);
  await signIn(phone.page, base, 'researcher', '/filings');
  res = await api(phone.page, '/api/v1/my/filings/claim', { method: 'POST', body: { token } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  res = await api(phone.page, '/api/v1/my/filings');
  assert.ok(res.body.filings.some((f) => f.reference === ref));

  // Logging out ends the session on the server too.
  await phone.page.goto(`${base}/auth/logout?return=/`, { builtOnly: true });
  res = await api(phone.page, '/api/v1/session');
  assert.equal(res.body.signed_in, false);
  res = await api(phone.page, '/api/v1/my/filings');
  assert.equal(res.status, 401);
  await phone.context.close();
});

test('in the app: the draft survives the sign-in redirect, identity comes prefilled and verified, the filing shows on another device and moves by its receipt code', async () => {
  const base = ctx.world.server.url;
  const { context, page, errors } = await openPage(ctx.browser);
  await page.goto(`${base}/file/apply?dataset=jt-vehicle-trajectories`);
  await page.locator('[data-form=application]').waitFor();
  // Xiangxi: sign in first; what is typed before is kept.
  await page.getByTestId('sign-in-notice').waitFor({ timeout: 15_000 });
  await page.fill('#f-purpose', '城市交通拥堵研究(登录前填写)');
  await page.getByTestId('sign-in-link').click();
  await page.locator('input[name="login"]').fill('researcher');
  await page.locator('input[name="password"]').fill('any password');
  await Promise.all([page.waitForURL((u) => u.href.startsWith(`${base}/file/apply`), { timeout: 30_000 }), page.locator('button[type="submit"]').click()]);
  await page.locator('[data-form=application]').waitFor();
  await page.waitForFunction(() => document.querySelector('#f-applicant-name')?.value === '张研究', null, { timeout: 15_000 });
  assert.equal(await page.inputValue('#f-purpose'), '城市交通拥堵研究(登录前填写)', 'the draft survived the redirect');
  assert.equal(await page.inputValue('#f-applicant-id_document-number'), '11010519491231002X');
  assert.equal(await page.locator('#f-applicant-name').getAttribute('aria-readonly'), 'true');
  assert.ok(await page.locator('#f-applicant-id_document-number').evaluate((e) => e.readOnly));
  await page.getByTestId('verified-note').waitFor();
  assert.equal(await page.getByTestId('sign-in-notice').count(), 0);
  await page.getByTestId('signed-in').waitFor();

  await page.fill('#f-applicant-contact-email', 'researcher@example.edu.cn');
  await page.fill('#f-scope_of_use', '课题组内部研究');
  await page.fill('#f-scenario', '分析早晚高峰车速变化');
  await page.fill('#f-users', '张研究');
  await page.fill('#f-security_measures', '加密存储,专人管理');
  await page.fill('#f-period-start', '2027-01-01');
  await page.fill('#f-period-end', '2027-12-31');
  await page.check('#f-security_commitment_ack');
  await page.check('#f-data_use_agreement_ack');
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  const ref = (await page.getByTestId('reference').innerText()).trim();
  const code = (await page.getByTestId('receipt-code').innerText()).trim();
  assert.match(code, /^([0-9a-f]{8}-){7}[0-9a-f]{8}$/);
  assert.deepEqual(errors, []);

  // The department acts; on the next visit "my filings" marks the filing as changed.
  await page.goto(`${base}/filings`);
  await page.locator(`[data-testid=filed-item][data-reference="${ref}"] [data-testid=filing-state]`).waitFor({ timeout: 15_000 });
  const official = await openPage(ctx.browser);
  await signIn(official.page, base, 'official-jt', '/');
  const acted = await api(official.page, `/api/v1/department/filings/${ref}/actions`, { method: 'POST', body: { action: 'start_review' } });
  assert.equal(acted.status, 200, JSON.stringify(acted.body));
  await official.context.close();
  await page.reload();
  await page.locator(`[data-testid=filed-item][data-reference="${ref}"] [data-testid=changed]`).waitFor({ timeout: 15_000 });

  // Another device, signed in as the same person: listed from the account, no receipt.
  const laptop = await openPage(ctx.browser);
  await signIn(laptop.page, base, 'researcher', '/filings');
  await laptop.page.locator(`[data-testid=account-item][data-reference="${ref}"]`).waitFor({ timeout: 15_000 });

  // A third device, not signed in: the receipt's code adds it.
  const kiosk = await openPage(ctx.browser);
  await kiosk.page.goto(`${base}/filings`);
  await kiosk.page.locator('.add-from-receipt summary').click();
  await kiosk.page.fill('#receipt-code', code.toUpperCase().replaceAll('-', ' '));
  await kiosk.page.getByRole('button', { name: '添加' }).click();
  await kiosk.page.locator(`[data-testid=filed-item][data-reference="${ref}"]`).waitFor({ timeout: 15_000 });
  for (const c of [context, laptop.context, kiosk.context]) await c.close();
});

