// Evidence chosen while drafting an objection (issue 6; MISSION O1 证据材料, C4 nothing lost):
// checked in the browser by the intake's own rules (a refused file is named in zh-CN and
// English), kept across a reload, uploaded after acceptance with a progress bar, and held by
// the intake with the same size and sha256 — once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, launch, openPage, screenshot } from './lib.mjs';
import { buildCatalog, cleanUp, review, serve, stop, tempDir } from './intake.mjs';

const REPO = new URL('../../', import.meta.url).pathname;

/** A CSV of about `mib` MiB: the sample's bus stops repeated with a running number. */
function makeCsv(mib) {
  const src = readFileSync(join(REPO, 'examples/portal/files/bus-stops.csv'), 'utf8').trim().split('\n');
  const lines = ['序号,' + src[0]];
  let size = 0;
  for (let i = 1; size < mib * 1024 * 1024; i++) {
    const line = `${i},${src[1 + (i % (src.length - 1))]}`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
}

let browser;
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  await cleanUp();
});

test('evidence chosen while drafting survives a reload, uploads after acceptance with progress, and the intake holds the same bytes once', async () => {
  const dir = tempDir('kaifang-evidence-');
  const csv = makeCsv(3);
  const path = join(dir, '广告合同站点清单.csv');
  writeFileSync(path, csv);
  const sha256 = createHash('sha256').update(csv).digest('hex');

  const { context, page, errors, foreign } = await openPage(browser);
  // Every value the progress bars take, as the person would see them.
  await page.addInitScript(() => {
    window.__progress = [];
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.target.matches?.('[data-testid=upload-progress]')) window.__progress.push(Number(r.target.getAttribute('value')));
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['value'] });
  });
  await page.goto(`${BASE}/file/object?dataset=jt-bus-stops`);
  await page.locator('[data-form=objection]').waitFor();

  // Refused at once, by the intake's rules, in both languages: too large, and a ZIP named .pdf.
  await page.setInputFiles('#attach-input', [
    { name: '扫描件.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024)]) },
    { name: 'contract.pdf', mimeType: 'application/pdf', buffer: Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1') },
  ]);
  const refused = page.getByTestId('attach-refused');
  await refused.getByText('扫描件.pdf: 文件不能超过 10 MiB。').waitFor({ timeout: 15_000 });
  await refused.getByText('contract.pdf: 只接受 PDF、PNG、JPEG、TXT 或 CSV 文件。').waitFor({ timeout: 15_000 });
  await page.locator('.lang-switch').click();
  await refused.getByText('扫描件.pdf: Files may be at most 10 MiB.').waitFor();
  await refused.getByText('contract.pdf: Only PDF, PNG, JPEG, TXT or CSV files are accepted.').waitFor();
  await screenshot(page, 'filing-evidence-refused');
  await page.locator('.lang-switch').click();
  assert.equal(await page.locator('[data-testid=attached] li').count(), 0, 'refused files are not kept');

  await page.setInputFiles('#attach-input', path);
  await page.locator('[data-testid=attached] li[data-name="广告合同站点清单.csv"]').waitFor({ timeout: 15_000 });
  await page.fill('#f-requester-name', '某某公交广告有限公司');
  await page.fill('#f-requester-contact-email', 'legal@example.com');
  await page.selectOption('#f-relation', 'rights_holder');
  await page.selectOption('#f-scope-kind', 'whole');
  await page.check('#f-grounds-contract');
  await page.fill('#f-statement', '附件为本公司与公交公司的站点广告合同清单，约定站点信息暂不公开。');
  await page.selectOption('#f-requested_action', 'suspend');

  // A reload keeps the chosen file (IndexedDB) with the draft.
  await page.reload();
  await page.locator('[data-form=objection]').waitFor();
  await page.locator('[data-testid=attached] li[data-name="广告合同站点清单.csv"]').waitFor({ timeout: 15_000 });
  assert.match(await page.locator('[data-testid=attached]').innerText(), /3\.0 MiB/);

  // Slow the upload down (1 MB/s) so its progress can be seen moving.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1_000_000 });
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('receipt').waitFor({ timeout: 15_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();
  const upload = page.locator('[data-testid=upload][data-name="广告合同站点清单.csv"]');
  await page.locator('[data-testid=upload][data-state=uploading]').waitFor({ timeout: 15_000 });
  await screenshot(page, 'filing-evidence-uploading');
  await page.locator('[data-testid=upload][data-state=done]').waitFor({ timeout: 60_000 });
  assert.match(await upload.innerText(), /已上传/);
  assert.equal(await upload.locator('progress').getAttribute('value'), '100');
  const seen = await page.evaluate(() => window.__progress);
  assert.ok(seen.some((v) => v > 0 && v < 100), `the bar moved through intermediate values: ${JSON.stringify(seen)}`);
  await screenshot(page, 'filing-evidence-done');

  const shown = await review(['show', reference, '--department', 'jtj']);
  assert.equal(shown.evidence.length, 1);
  assert.equal(shown.evidence[0].name, '广告合同站点清单.csv');
  assert.equal(shown.evidence[0].size, csv.length);
  assert.equal(shown.evidence[0].sha256, sha256);

  // Reloading "my filings" resumes nothing that is done: still one file at the intake.
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.goto(BASE + '/filings');
  await page.locator(`[data-testid=filed-item][data-reference="${reference}"] [data-testid=upload][data-state=done]`).waitFor({ timeout: 15_000 });
  assert.equal((await review(['show', reference, '--department', 'jtj'])).evidence.length, 1);
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('evidence chosen for a filing that is queued (intake down) waits with it and uploads once the filing is accepted', async () => {
  const built = await buildCatalog();
  let server = await serve(built);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const { context, page, errors } = await openPage(browser);
  await page.goto(`${server.url}/file/object?dataset=hb-air-quality`);
  await page.locator('[data-form=objection]').waitFor();
  await page.fill('#f-requester-name', '王五');
  await page.fill('#f-requester-contact-phone', '010-12345678');
  await page.selectOption('#f-relation', 'data_subject');
  await page.selectOption('#f-scope-kind', 'whole');
  await page.check('#f-grounds-personal_information');
  await page.fill('#f-statement', '监测站点旁的住户信息可由数据推断，附说明一份。');
  await page.selectOption('#f-requested_action', 'desensitise_and_reopen');
  await page.setInputFiles('#attach-input', { name: '说明.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.locator('[data-testid=attached] li[data-name="说明.pdf"]').waitFor({ timeout: 15_000 });

  await stop(server);
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByTestId('queued-notice').getByText('已保存，等待发送').waitFor({ timeout: 15_000 });
  const waiting = page.locator('[data-testid=upload][data-name="说明.pdf"]');
  assert.equal(await waiting.getAttribute('data-state'), 'waiting');
  assert.match(await waiting.innerText(), /等待受理后上传/);
  // The file list moved from the draft to the queued filing.
  const outbox = await page.evaluate(() => JSON.parse(localStorage.getItem('kaifang.outbox')));
  const kept = await page.evaluate((k) => JSON.parse(localStorage.getItem(`kaifang.attachments.${k}`)), outbox[0].key);
  assert.deepEqual(kept.map((a) => [a.name, a.stage.stage]), [['说明.pdf', 'waiting']]);
  await screenshot(page, 'filing-evidence-queued');

  server = await serve(built, server.port);
  await page.getByTestId('receipt').waitFor({ timeout: 120_000 });
  await page.locator('[data-testid=upload][data-name="说明.pdf"][data-state=done]').waitFor({ timeout: 30_000 });
  const reference = (await page.getByTestId('reference').innerText()).trim();
  const shown = await review(['show', reference, '--department', 'sthjj'], server);
  assert.deepEqual(shown.evidence.map((e) => [e.name, e.size, e.sha256]),
    [['说明.pdf', pdf.length, createHash('sha256').update(pdf).digest('hex')]]);
  assert.deepEqual(errors, []);
  await context.close();
});
