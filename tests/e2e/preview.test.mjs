// The data preview (issue 4, B6): rows stream in, the GBK file shows correct Chinese, sorting
// and filtering work over the whole file, and the profile panel describes the columns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, createReadStream } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { BASE, ARTIFACTS, launch, openPage, screenshot } from './lib.mjs';
import { buildFromSource, cleanUp, serve } from './intake.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); await cleanUp(); });

/** The cells of the rows in the table window, as arrays of strings. */
async function rows(page) {
  return page.$$eval('.grid tbody tr:not(.loading)', (trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
}

async function openDataset(id, options) {
  const opened = await openPage(browser, options);
  await opened.page.goto(`${BASE}/datasets/${id}`);
  await opened.page.locator('.grid tbody tr:not(.loading)').first().waitFor({ timeout: 30_000 });
  return opened;
}

test('the GBK dataset previews with correct Chinese, its encoding named', async () => {
  const { context, page, foreign, errors } = await openDataset('hb-air-quality');
  const header = await page.$$eval('.grid thead th button.sort', (bs) => bs.map((b) => b.textContent.trim()));
  assert.deepEqual(header.slice(0, 3), ['监测站点', '日期', 'AQI']);
  const r = await rows(page);
  assert.equal(r[0][0], '东城区监测站');
  assert.ok(r.every((row) => !row.join('').includes('\uFFFD')), 'no replacement characters');
  const enc = await page.textContent('[data-testid=encoding]');
  assert.match(enc, /GB18030/);
  assert.equal((await page.textContent('[data-testid=row-count]')).trim(), String(r.length));
  // The profile panel names the inferred types.
  await page.click('[data-testid=profiles] summary');
  const profile = await page.textContent('[data-testid=profiles]');
  assert.match(profile, /整数/); // AQI
  assert.match(profile, /日期/);
  await screenshot(page, 'preview-gbk');
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an XLSX workbook previews like its CSV twin, and its other sheet can be picked', async () => {
  // hb-noise has the same table as CSV and as an XLSX workbook (numbers stored as numbers).
  const { context, page, foreign, errors } = await openDataset('hb-noise');
  const headerOf = () => page.$$eval('.grid thead th button.sort', (bs) => bs.map((b) => b.textContent.trim()));
  const csvHeader = await headerOf();
  const csvRows = await rows(page);
  assert.equal(csvRows.length, 14);
  await page.selectOption('[data-testid=file-pick]', '1');
  // The sheet picker appears once the workbook is read (it has two sheets).
  await page.getByTestId('sheet-pick').waitFor({ timeout: 30_000 });
  await page.locator('.grid tbody tr:not(.loading)').first().waitFor();
  assert.deepEqual(await headerOf(), csvHeader);
  // The workbook stores the CSV's "70.0" as the number 70: a spreadsheet keeps no trailing zero.
  const asNumbers = csvRows.map((r) => r.map((c, i) => (i === 3 ? String(Number(c)) : c)));
  assert.ok(csvRows.some((r) => r[3] === '70.0'));
  assert.deepEqual(await rows(page), asNumbers);
  assert.deepEqual(await page.$$eval('[data-testid=sheet-pick] option', (os) => os.map((o) => o.value)), ['监测结果', '说明']);
  await page.selectOption('[data-testid=sheet-pick]', '说明');
  await page.waitForFunction(() => document.querySelector('.grid thead th button.sort')?.textContent.trim() === '项目');
  await page.locator('.grid tbody tr:not(.loading)').first().waitFor();
  assert.deepEqual(await rows(page), [['单位', 'dB(A)'], ['来源', '示例市生态环境局']]);
  await screenshot(page, 'preview-xlsx');
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a statistics export: header found below its title lines, notes and source shown apart from the rows', async () => {
  // tj-national-accounts: an NBS-shaped GBK CSV, and a yearbook sheet with a two-row header.
  const { context, page, foreign, errors } = await openDataset('tj-national-accounts');
  const headerOf = () => page.$$eval('.grid thead th button.sort', (bs) => bs.map((b) => b.textContent.trim()));
  assert.deepEqual((await headerOf()).slice(0, 3), ['指标', '2023年', '2022年']);
  await page.waitForFunction(() => document.querySelector('[data-testid=row-count]')?.textContent.trim() === '15');
  const r = await rows(page);
  assert.equal(r.length, 15);
  assert.ok(r.every((row) => !row[0].startsWith('数据来源') && !row[0].startsWith('注：')), 'no note among the rows');
  const notes = await page.textContent('[data-testid=file-notes]');
  assert.match(notes, /数据库：年度数据/);
  assert.match(notes, /数据来源：国家统计局/);
  await page.selectOption('[data-testid=file-pick]', '1');
  await page.waitForFunction(() => document.querySelector('.grid thead th button.sort')?.textContent.trim() === '地区');
  assert.deepEqual((await headerOf()).slice(0, 3), ['地区', '2022年 / 地区生产总值(亿元)', '2022年 / 常住人口(万人)']);
  assert.equal((await rows(page)).length, 3);
  assert.match(await page.textContent('[data-testid=file-notes]'), /资料来源：国家统计局《中国统计年鉴2023》/);
  await screenshot(page, 'preview-statistics-export');
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a deep link reads the file head while the app loads, then the rest by range; the wasm comes precompressed', async () => {
  const opened = await openPage(browser);
  const { context, page, errors } = opened;
  const fileRanges = [];
  let wasm;
  page.on('request', (r) => {
    if (r.url().includes('/catalog/files/jt-bus-card-records/')) fileRanges.push(r.headers().range ?? 'none');
  });
  page.on('response', (r) => { if (r.url().endsWith('_bg.wasm')) wasm = r; });
  await page.goto(`${BASE}/datasets/jt-bus-card-records`);
  await page.locator('.grid tbody tr:not(.loading)').first().waitFor({ timeout: 30_000 });
  // The first rows of the 144 MB file: 1000 held, read past the first 64 KB.
  await page.waitForFunction(() => /\b1000\b/.test(document.querySelector('[data-testid=row-count]')?.textContent ?? ''), null, { timeout: 30_000 });
  assert.deepEqual(fileRanges.slice(0, 2), ['bytes=0-65535', 'bytes=65536-']);
  const first = (await rows(page))[0];
  assert.equal(first[0], '202610010000000000');
  // `kaifang serve` named the file on <html>, so its head was asked for without the record.
  assert.equal(await page.getAttribute('html', 'data-first-table'), '/catalog/files/jt-bus-card-records/bus-card-records.csv');
  // The dataset page's own module (src/modules.rs), sent as the .br file written at build
  // time (on-the-fly compression has no length).
  const dist = new URL('../../dist', import.meta.url).pathname;
  const served = new URL(wasm.url()).pathname;
  assert.match(served, /^\/modules\/dataset\/kaifang-dataset-[0-9a-f]{13,16}_bg\.wasm$/);
  const headers = await wasm.allHeaders();
  assert.equal(headers['content-encoding'], 'br');
  assert.equal(Number(headers['content-length']), statSync(dist + served + '.br').size);
  assert.deepEqual(errors, []);
  await context.close();
});

test('without the server naming the file, the head is still read early, found through the record', async () => {
  // What a static host serves: index.html as built, no data-first-table.
  const { context, page, errors } = await openPage(browser);
  const fileRanges = [];
  page.on('request', (r) => {
    if (r.url().includes('/catalog/files/jt-bus-card-records/')) fileRanges.push(r.headers().range ?? 'none');
  });
  await page.route(`${BASE}/datasets/jt-bus-card-records`, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(/ data-first-table="[^"]*"/, '');
    await route.fulfill({ response, body });
  });
  await page.goto(`${BASE}/datasets/jt-bus-card-records`);
  await page.locator('.grid tbody tr:not(.loading)').first().waitFor({ timeout: 30_000 });
  assert.equal(await page.getAttribute('html', 'data-first-table'), null);
  assert.equal(fileRanges[0], 'bytes=0-65535');
  assert.equal((await rows(page))[0][0], '202610010000000000');
  assert.deepEqual(errors, []);
  await context.close();
});

test('sorting by a column orders the rows; clicking again reverses', async () => {
  const { context, page, errors } = await openDataset('hb-air-quality');
  const aqiButton = page.locator('.grid thead th button.sort', { hasText: 'AQI' });
  await aqiButton.click();
  await page.waitForFunction(() => document.querySelector('.grid thead th[aria-sort=ascending]'));
  let aqi = (await rows(page)).map((row) => Number(row[2]));
  assert.ok(aqi.length >= 3);
  assert.deepEqual(aqi, [...aqi].sort((a, b) => a - b));
  await aqiButton.click();
  await page.waitForFunction(() => document.querySelector('.grid thead th[aria-sort=descending]'));
  aqi = (await rows(page)).map((row) => Number(row[2]));
  assert.deepEqual(aqi, [...aqi].sort((a, b) => b - a));
  assert.deepEqual(errors, []);
  await context.close();
});

test('filtering keeps only matching rows, and clearing brings all back', async () => {
  const { context, page, errors } = await openDataset('hb-air-quality');
  const all = (await rows(page)).length;
  await page.selectOption('[data-testid=filter-column]', '0');
  await page.fill('[data-testid=filter-value]', '东城');
  await page.click('[data-testid=filter-apply]');
  await page.waitForFunction((n) => document.querySelectorAll('.grid tbody tr').length < n, all);
  const kept = await rows(page);
  assert.ok(kept.length >= 1);
  assert.ok(kept.every((row) => row[0].includes('东城')), JSON.stringify(kept));
  await page.click('[data-testid=filter-clear]');
  await page.waitForFunction((n) => document.querySelectorAll('.grid tbody tr').length === n, all);
  assert.deepEqual(errors, []);
  await context.close();
});

/** RFC 4180 records of a CSV text (quotes, doubled quotes, CRLF). */
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\n') { record.push(field.replace(/\r$/, '')); records.push(record); record = []; field = ''; }
    else field += c;
  }
  if (field !== '' || record.length) { record.push(field); records.push(record); }
  return records;
}

test('export filtered rows: the matching rows as CSV, attribution first, formulas neutralised', async () => {
  const { context, page, errors } = await openDataset('jt-parking-lots', { acceptDownloads: true });
  // No filter, no export button.
  assert.equal(await page.getByTestId('export-rows').count(), 0);
  await page.selectOption('[data-testid=filter-column]', '1'); // 所属区县
  await page.fill('[data-testid=filter-value]', '东城');
  await page.click('[data-testid=filter-apply]');
  await page.getByTestId('export-rows').waitFor();
  const shown = await rows(page);
  assert.ok(shown.length >= 2 && shown.every((r) => r[1].includes('东城')), JSON.stringify(shown));
  // The grid shows the formula-like cell as plain text.
  assert.ok(shown.some((r) => r[7] === '=1+1'), JSON.stringify(shown));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-rows').click()]);
  assert.equal(download.suggestedFilename(), 'parking-lots_filtered.csv');
  const path = `${ARTIFACTS}preview-export.csv`;
  await download.saveAs(path);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.startsWith('\uFEFF# 数据来源：'), text.slice(0, 80));
  const [note, header, ...data] = parseCsv(text.slice(1));
  assert.equal(note.length, 1);
  assert.match(note[0], /公共停车场/);
  assert.deepEqual(header.slice(0, 3), ['停车场名称', '所属区县', '地址']);
  // The same rows as the filtered view, in its order; only 东城 rows.
  assert.deepEqual(data.map((r) => r[0]), shown.map((r) => r[0]));
  assert.ok(data.every((r) => r[1] === '东城区'));
  // The source file's "=1+1" is written as text a spreadsheet will not evaluate.
  const formula = data.find((r) => r[0] === '临时停车场');
  assert.equal(formula[7], "'=1+1");
  await page.getByTestId('export-status').filter({ hasText: String(data.length) }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('scrolling the scanned 144 MB table at a wheel\'s pace, rows read by range keep up', async () => {
  // Once scrolled past the rows held from the first pass, every row comes by Range request.
  // Before TCP_NODELAY and read-ahead, each request waited ~40 ms for a delayed ACK and only
  // the window was read: most frames of a steady scroll showed rows not read yet.
  const { context, page, errors } = await openDataset('jt-bus-card-records');
  await page.click('[data-testid=scan]');
  await page.waitForSelector('.preview-status[data-scan-ms]', { timeout: 120_000 });
  await page.evaluate(() => { document.querySelector('.grid-scroller').scrollTop = 64_000; });
  await page.waitForFunction(() => !document.querySelector('.grid tbody tr.loading'), null, { timeout: 10_000 });
  const { frames, waiting, from } = await page.evaluate(async () => {
    const el = document.querySelector('.grid-scroller');
    const from = document.querySelector('.grid tbody tr').dataset.row;
    let waiting = 0;
    for (let i = 0; i < 120; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      if (document.querySelector('.grid tbody tr.loading')) waiting++;
      el.scrollTop += 100;
    }
    return { frames: 120, waiting, from: Number(from) };
  });
  assert.ok(from > 2000, `scrolled past the rows held (first row ${from})`);
  assert.ok(waiting < frames / 2, `${waiting} of ${frames} frames showed rows not read yet`);
  await page.waitForFunction(() => !document.querySelector('.grid tbody tr.loading'), null, { timeout: 10_000 });
  const top = Number(await page.getAttribute('.grid tbody tr', 'data-row'));
  // 12,000 px of scrolling moves at least 12,000 px of rows (32 px each): more past the
  // spacer's cap, where scrolling is scaled.
  assert.ok(top >= from + 12_000 / 32, `moved on (${from} → ${top})`);
  // The spacer is as tall as Chromium lays out (its ~33.5 M px limit, measured by the app at
  // start), not the 16 M px every engine takes; the end of the scrollbar is the last row.
  const spacer = await page.evaluate(() => document.querySelector('.grid-spacer').getBoundingClientRect().height);
  assert.ok(spacer > 30e6 && spacer < 33.6e6, `spacer ${spacer} px`);
  await page.evaluate(() => { const el = document.querySelector('.grid-scroller'); el.scrollTop = el.scrollHeight; });
  const lastRow = () => page.evaluate(() => ({
    last: [...document.querySelectorAll('.grid tbody tr')].at(-1).getAttribute('aria-rowindex'),
    count: document.querySelector('table.grid').getAttribute('aria-rowcount'),
    loading: document.querySelectorAll('.grid tbody tr.loading').length,
    scrollTop: document.querySelector('.grid-scroller').scrollTop,
  }));
  await page.waitForFunction(() => [...document.querySelectorAll('.grid tbody tr')].at(-1).getAttribute('aria-rowindex')
    === document.querySelector('table.grid').getAttribute('aria-rowcount') && !document.querySelector('.grid tbody tr.loading'),
  null, { timeout: 10_000 }).catch(() => {});
  const end = await lastRow();
  assert.ok(end.last === end.count && end.loading === 0, `the last row is shown, read, at the end of the scrollbar: ${JSON.stringify(end)}`);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Scans the 144 MB file in the open page and checks what the app shows against `kaifang
 * inspect` (one scan, natively): rows, bytes, and the profile table cell by cell. */
async function scanMatchesNative(page) {
  const file = `${process.env.KAIFANG_CATALOG}/files/jt-bus-card-records/bus-card-records.csv`;
  const native = JSON.parse(execFileSync(process.env.KAIFANG_BIN, ['inspect', file], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  await page.click('[data-testid=scan]');
  await page.waitForSelector('.preview-status[data-scan-ms]', { timeout: 120_000 });
  assert.equal(Number(await page.getAttribute('.preview-status', 'data-scan-bytes')), statSync(file).size);
  assert.equal((await page.textContent('[data-testid=row-count]')).trim(), String(native.rows));
  const shown = await page.$$eval('[data-testid=profiles] tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th').textContent, ...Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)]));
  assert.equal(shown.length, native.profiles.length);
  native.profiles.forEach((p, i) => {
    const [name, , nulls, min, max, mean, distinct, top] = shown[i];
    assert.equal(name, p.name);
    assert.equal(nulls, String(p.nulls), `${p.name}: nulls`);
    assert.equal(min, p.min ?? '', `${p.name}: min`);
    assert.equal(max, p.max ?? '', `${p.name}: max`);
    if (p.mean != null) assert.ok(Math.abs(Number(mean) - p.mean) < 1e-3, `${p.name}: mean ${mean} vs ${p.mean}`);
    assert.equal(distinct, p.distinct_exact ? String(p.distinct) : `≈${p.distinct}`, `${p.name}: distinct`);
    if (p.top_values_exact) assert.equal(top, p.top_values.map(([v, n]) => `${v} (${n})`).join('、'), `${p.name}: top values`);
  });
  return { file, native, parts: Number(await page.getAttribute('.preview-status', 'data-scan-parts')) };
}

test('pointing at "scan the whole file" starts its workers, and the scan then uses them', async () => {
  const { context, page, errors } = await openDataset('jt-bus-card-records');
  const started = [];
  const wasm = [];
  context.on('request', (r) => {
    if (r.url().endsWith('/scan-worker_loader.js')) started.push(r.url());
    if (r.url().endsWith('/scan-worker_bg.wasm')) wasm.push(r.url());
  });
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const parts = Math.min(4, Math.max(1, cores));
  await page.hover('[data-testid=scan]');
  // The workers load their script and wasm before anything is clicked.
  for (let waited = 0; wasm.length < parts && waited < 10_000; waited += 50) await page.waitForTimeout(50);
  assert.equal(started.length, parts, 'one worker per part, started by the pointer');
  assert.equal(wasm.length, parts, 'each started worker loads its wasm');
  await page.click('[data-testid=scan]');
  await page.waitForSelector('.preview-status[data-scan-ms]', { timeout: 120_000 });
  assert.equal(Number(await page.getAttribute('.preview-status', 'data-scan-parts')), parts);
  assert.equal(started.length, parts, 'the scan took the workers already started, none new');
  assert.equal((await page.textContent('[data-testid=row-count]')).replace(/\D/g, ''), '1500000');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the 144 MB file is scanned on workers, a part each, and profiled as one native scan profiles it', async () => {
  const { context, page, errors } = await openDataset('jt-bus-card-records');
  const ranges = [];
  context.on('request', (r) => { if (r.url().includes('/catalog/files/jt-bus-card-records/')) ranges.push(r.headers().range ?? 'none'); });
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const { file, native, parts } = await scanMatchesNative(page);
  assert.equal(parts, Math.min(4, Math.max(1, cores)), `${cores} cores, ${parts} parts`);
  // Each later part reads from just before its share of the file.
  const share = Math.ceil(statSync(file).size / parts);
  for (let k = 1; k < parts; k++) assert.ok(ranges.includes(`bytes=${k * share - 1}-`), `part ${k} read by range: ${ranges}`);

  // Sorted by the amount, lowest then highest first: the merged parts' order puts the first
  // row of the file with the lowest (then the highest) amount on top — ties keep file order.
  const amounts = native.profiles.length - 1;
  const [low, high] = [Number(native.profiles[amounts].min), Number(native.profiles[amounts].max)];
  let firstLow = null;
  let firstHigh = null;
  let row = -1;
  for await (const text of createInterface({ input: createReadStream(file) })) {
    const amount = Number(text.split(',')[amounts]);
    if (row >= 0 && firstLow === null && amount === low) firstLow = row;
    if (row >= 0 && firstHigh === null && amount === high) firstHigh = row;
    if (firstLow !== null && firstHigh !== null) break;
    row++;
  }
  assert.ok(firstLow !== null && firstHigh !== null, 'the lowest and highest amounts are in the file');
  const topRow = (want) => page.waitForFunction((r) => document.querySelector('.grid tbody tr:not(.loading)')?.dataset.row === String(r)
    && !document.querySelector('[data-testid=scan-progress], .preview-progress'), want, { timeout: 120_000 });
  const sortButton = page.locator('.grid thead th button.sort').nth(amounts);
  await sortButton.click();
  await topRow(firstLow);
  await sortButton.click();
  await topRow(firstHigh);
  assert.deepEqual(errors, []);
  await context.close();
});

test('without the worker script the scan runs on the page and gives the same profile', async () => {
  const { context, page, errors } = await openDataset('jt-bus-card-records');
  // A static host without the worker files, or a browser that refuses them.
  await context.route('**/scan-worker_loader.js', (route) => route.abort());
  const { parts } = await scanMatchesNative(page);
  assert.equal(parts, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the table is usable at 360 px and from the keyboard', async () => {
  const { context, page } = await openDataset('jt-bus-stops', { viewport: { width: 360, height: 740 } });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px at 360 px`);
  await page.focus('.grid-scroller');
  const focused = await page.evaluate(() => document.activeElement.classList.contains('grid-scroller'));
  assert.ok(focused, 'the table region takes keyboard focus');
  // A cell cut off at this width shows its whole text as a tooltip once pointed at.
  const cell = page.locator('.grid tbody tr:not(.loading) td').nth(1);
  await cell.hover();
  assert.equal(await cell.getAttribute('title'), await cell.textContent());
  assert.ok((await cell.textContent()).length > 0);
  await screenshot(page, 'preview-360');
  await context.close();
});

test('leaving a dataset page while its 144 MB file is still being read does not break the app', async () => {
  const { context, page, errors } = await openDataset('jt-bus-card-records');
  // A whole-file sort is under way (the scan reads all 144 MB) when the person leaves…
  await page.locator('.grid thead th button.sort').first().click();
  await page.locator('nav[aria-label=main] a[href="/my"]').click();
  await page.waitForURL(/\/my$/);
  // …and comes back, and leaves again during the first pass.
  await page.goBack();
  await page.waitForURL(/\/datasets\/jt-bus-card-records$/);
  await page.locator('nav[aria-label=main] a[href="/"]').click();
  await page.waitForURL((u) => new URL(u).pathname === '/');
  // Give the abandoned reads time to run on.
  await page.waitForTimeout(4_000);
  assert.deepEqual(errors, [], 'no panic from the abandoned preview');
  // The app still answers: a search finds the dataset.
  await page.fill('#search-q', '公交刷卡记录');
  await page.locator('.dataset-card[data-id=jt-bus-card-records]').waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

/** A ZIP of `parts` (name → text), stored uncompressed: enough for a workbook. */
function storedZip(parts) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of Object.entries(parts)) {
    const data = Buffer.from(text);
    const n = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6);
    dir.writeUInt32LE(crc, 16); dir.writeUInt32LE(data.length, 20); dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(n.length, 28); dir.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    central.push(dir, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(central.length / 2, 8); end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A one-sheet workbook: a header, `n` data rows, and one cell far down at row 1,048,576. */
function farDownWorkbook(n) {
  const cell = (ref, t) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
  let rows = `<row r="1">${cell('A1', '名称')}${cell('B1', '数值')}</row>`;
  for (let r = 2; r <= n + 1; r++) rows += `<row r="${r}">${cell(`A${r}`, `第${r}行`)}${cell(`B${r}`, String(r))}</row>`;
  rows += `<row r="1048576">${cell('A1048576', '最末行')}</row>`;
  const rels = 'http://schemas.openxmlformats.org/package/2006/relationships';
  const office = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  return storedZip({
    '_rels/.rels': `<?xml version="1.0"?><Relationships xmlns="${rels}"><Relationship Id="rId1" Type="${office}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0"?><workbook xmlns="${main}" xmlns:r="${office}"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="${rels}"><Relationship Id="rId1" Type="${office}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet xmlns="${main}"><sheetData>${rows}</sheetData></worksheet>`,
  });
}

test('B6 (issue 14): an XLSX sheet past the reader\'s caps shows the rows that fit and says in plain words what was left out', async () => {
  const book = farDownWorkbook(10);
  const built = await buildFromSource({
    'portal.toml': 'name = "测试平台"\nname_en = "Test"\nintake = "/api/v1"\npublisher = "测试局"\nurl = "https://data.example.gov.cn"\njurisdiction = "yunnan"\ndefault_license = "测试许可 1.0"\n',
    'files/far.xlsx': book,
    'datasets/x-far.toml': [
      'id = "x-far"', 'title = "极长工作表"', 'description = "一个单元格远在第 1048576 行的工作表。"', 'keywords = ["测试"]',
      'theme = "交通出行"', 'license = "测试许可 1.0"', 'security_level = 1', 'accrual_periodicity = "monthly"',
      'issued = "2026-01-01"', 'modified = "2026-01-01"', 'version = "1.0"', 'access = [{ kind = "download" }]',
      'publisher = { id = "csj", name = "测试局" }', 'region = { name = "示例市", level = "city" }', 'open = { kind = "unconditional" }',
      'contact_point = { name = "测试局" }', '', '[[files]]', 'title = "工作表"', 'file = "files/far.xlsx"',
      `byte_size = ${book.length}`, `sha256 = "${createHash('sha256').update(book).digest('hex')}"`, '',
    ].join('\n'),
  }, 'kaifang-xlsx-');
  const server = await serve(built);
  const { context, page, errors } = await openPage(browser);
  await page.goto(server.url + '/datasets/x-far');
  const notice = page.getByTestId('xlsx-left-out');
  await notice.waitFor({ timeout: 30_000 });
  assert.match(await notice.innerText(), /工作表过大，最多显示 100000 行：自第 \d+ 行起的内容未显示。请下载文件查看全部内容。/);
  await page.locator('.grid tbody tr:not(.loading)').first().waitFor();
  const shown = await rows(page);
  assert.deepEqual(shown[0], ['第2行', '2'], 'the rows that fit are shown');
  assert.ok(!shown.flat().includes('最末行'), 'the far row is the part left out');
  await screenshot(page, 'preview-xlsx-left-out');
  assert.deepEqual(errors, []);
  await context.close();
});
