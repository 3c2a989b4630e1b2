// The desk with the platform's sign-in (issue 15): officials sign in through a real OpenID
// provider (tests/auth/provider.mjs) and work at /desk with their session, no token; the
// researcher, signed in too, is told of each step by e-mail (a real aiosmtpd sink). Xiangxi's
// rules: applications need unified identity authentication (Xiangxi 20 and 35), the
// department reviews and the data authority approves (Xiangxi 35), and an extension names
// the head who consented to it.
//
// - the owning department's official (official-jt) sees the signed-in researcher's
//   application at the top of the inbox with its working days left, starts the review and
//   asks for information; the researcher gets the e-mail, Chinese first;
// - the researcher answers from another device, signed in as the same person, through the
//   filing on their account (no receipt token on that device);
// - the official extends with a notice (and the consent Xiangxi 35 asks for) and passes the
//   review; the data authority, signed in, approves with scope and period from its queue; the
//   researcher gets each e-mail and reads the decision;
// - another department's official (official-hb), signed in the same way, never sees it: not
//   in the desk's inbox, not through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './lib.mjs';
import { act, supplyInformation } from './intake.mjs';
import { api, application, decodeMail, signIn, signInJourneys, waitForMail } from './signin.mjs';

const ctx = signInJourneys('xiangxi');

test('signed-in officials answer a signed-in researcher from the desk: information, extension, review and approval; e-mail at each step; another department sees nothing', async () => {
  const base = ctx.world.server.url;
  const researcher = await openPage(ctx.browser);
  await signIn(researcher.page, base, 'researcher', '/filings');
  const filed = await api(researcher.page, '/api/v1/filings', { method: 'POST', body: application() });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const reference = filed.body.reference;

  // The owning department's official: signed in, no token; the application on top with its days left.
  const jt = await openPage(ctx.browser);
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
  const mail = await waitForMail(ctx.world.maildir, (m) => decodeMail(m).includes('请补充课题立项批准文件'));
  assert.match(mail, /^To: researcher@example\.edu\.cn/mi);
  assert.ok(decodeMail(mail).includes(reference));

  // The researcher answers from another device: signed in, the filing is on the account.
  const phone = await openPage(ctx.browser);
  await signIn(phone.page, base, 'researcher', '/filings');
  const item = phone.page.locator(`[data-testid=account-item][data-reference="${reference}"]`);
  await supplyInformation(item, '立项批准文件编号：示大科〔2026〕12 号。');

  // The official extends with a notice the researcher reads, then passes the review (step 1 of 2).
  await jt.page.reload();
  await jt.page.locator('[data-testid=desk-state][data-state=under_review]').waitFor({ timeout: 15_000 });
  const notice = '需会同网信部门开展安全评估。';
  await act(jt.page, 'extend', { working_days: '3', notice, consented_by: '王局长（主要负责人）' }, 'extended');
  await waitForMail(ctx.world.maildir, (m) => decodeMail(m).includes(notice));
  await act(jt.page, 'pass_review', { opinion: '用途合规，建议批准。' }, 'awaiting_approval');

  // The data authority, signed in, approves with scope and period from its queue (step 2 of 2).
  const authority = await openPage(ctx.browser);
  await signIn(authority.page, base, 'authority', '/desk?view=queue&state=awaiting_approval');
  const queued = authority.page.locator(`[data-testid=inbox-row][data-reference="${reference}"]`);
  await queued.waitFor({ timeout: 15_000 });
  await queued.locator('a.reference').click();
  await authority.page.getByTestId('desk-filing').waitFor({ timeout: 15_000 });
  const decision = { scope: '轨迹数据 sj、jd、wd 字段（沙箱内）', 'period-start': '2027-01-01', 'period-end': '2027-12-31', agreement: 'XX-XY-2027-007' };
  await act(authority.page, 'approve', decision, 'approved');
  const approved = decodeMail(await waitForMail(ctx.world.maildir, (m) => decodeMail(m).includes('XX-XY-2027-007')));
  assert.ok(approved.includes(decision.scope) && approved.includes(reference), approved);

  // The researcher reads the decision, with the notice, on the account.
  await phone.page.reload();
  await item.locator('[data-state=approved]').waitFor({ timeout: 15_000 });
  const text = await item.innerText();
  for (const part of [notice, decision.scope, '2027-01-01 – 2027-12-31', 'XX-XY-2027-007']) assert.ok(text.includes(part), `${part} in ${text}`);
  assert.deepEqual([...researcher.errors, ...jt.errors, ...phone.errors, ...authority.errors], []);

  // Another department's official, signed in the same way, never sees it.
  const hb = await openPage(ctx.browser);
  await signIn(hb.page, base, 'official-hb', '/desk');
  await hb.page.getByTestId('desk-who').waitFor({ timeout: 15_000 });
  await hb.page.getByTestId('inbox-summary').waitFor({ timeout: 15_000 });
  assert.equal(await hb.page.locator(`[data-testid=inbox-row][data-reference="${reference}"]`).count(), 0);
  const other = await api(hb.page, `/api/v1/department/filings/${encodeURIComponent(reference)}`);
  assert.equal(other.status, 404);
  for (const o of [researcher, jt, phone, authority, hb]) await o.context.close();
});
