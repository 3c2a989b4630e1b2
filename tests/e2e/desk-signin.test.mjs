// The desk with the platform's sign-in (issue 15): officials sign in through a real OpenID
// provider (tests/auth/provider.mjs) and work at /desk with their session, no token; the
// researcher, signed in too, is told of each step by e-mail (a real aiosmtpd sink). Xiangxi's
// rules: applications need unified identity authentication (Xiangxi 20 and 35).
//
// - the owning department's official (official-jt) sees the signed-in researcher's
//   application at the top of the inbox with its working days left, starts the review and
//   asks for information; the researcher gets the e-mails, Chinese first;
// - another department's official (official-hb), signed in the same way, never sees it: not
//   in the desk's inbox, not through the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './lib.mjs';
import { act, cleanUp } from './intake.mjs';
import { api, application, decodeMail, signIn, startSignInWorld, stopSignInWorld, waitForMail } from './signin.mjs';

let world;
let browser;

before(async () => {
  world = await startSignInWorld('xiangxi');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  stopSignInWorld();
  await cleanUp();
});

test('an official signs in at the desk with the platform identity and answers a signed-in researcher, who is told by e-mail', async () => {
  const base = world.server.url;
  const researcher = await openPage(browser);
  await signIn(researcher.page, base, 'researcher', '/filings');
  const filed = await api(researcher.page, '/api/v1/filings', { method: 'POST', body: application() });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const reference = filed.body.reference;

  // The owning department's official: signed in, no token; the application on top with its days left.
  const jt = await openPage(browser);
  await signIn(jt.page, base, 'official-jt', '/desk');
  await jt.page.getByTestId('desk-who').waitFor({ timeout: 15_000 });
  const first = jt.page.getByTestId('inbox-row').first();
  await first.waitFor({ timeout: 15_000 });
  assert.equal(await first.getAttribute('data-reference'), reference);
  const inbox = await api(jt.page, '/api/v1/department/inbox');
  assert.equal(inbox.status, 200, JSON.stringify(inbox.body));
  const left = inbox.body.rows[0].standing.days_left;
  assert.ok(left > 0, JSON.stringify(inbox.body.rows[0]));
  assert.match(await first.getByTestId('standing').innerText(), new RegExp(`剩余 ${left} 个工作日`));

  await first.locator('a.reference').click();
  await jt.page.getByTestId('desk-filing').waitFor();
  await act(jt.page, 'start_review', {}, 'under_review');
  await act(jt.page, 'request_information', { message: '请补充课题立项批准文件。' }, 'information_requested');
  // The researcher is told, by e-mail, what the desk asked.
  const mail = await waitForMail(world.maildir, (m) => decodeMail(m).includes('请补充课题立项批准文件'));
  assert.match(mail, /^To: researcher@example\.edu\.cn/mi);
  assert.ok(decodeMail(mail).includes(reference));

  // Another department's official, signed in the same way, never sees it.
  const hb = await openPage(browser);
  await signIn(hb.page, base, 'official-hb', '/desk');
  await hb.page.getByTestId('desk-who').waitFor({ timeout: 15_000 });
  await hb.page.getByTestId('inbox-summary').waitFor({ timeout: 15_000 });
  assert.equal(await hb.page.locator(`[data-testid=inbox-row][data-reference="${reference}"]`).count(), 0);
  const other = await api(hb.page, `/api/v1/department/filings/${encodeURIComponent(reference)}`);
  assert.equal(other.status, 404);
  for (const o of [researcher, jt, hb]) await o.context.close();
});
