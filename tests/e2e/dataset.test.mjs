// Dataset page journeys (issue 4 — charts, attribution, citations, downloads; MISSION B5,
// B7, B8, A1–A3, X3): open a dataset, draw a chart, copy a citation, download the bundle
// and check that it holds the data and its attribution, then find it on "my data".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { BASE, ARTIFACTS, launch, openPage, screenshot } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Today in the browser's time zone, as the app computes it. */
const todayIn = (page) => page.evaluate(() => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
});

/** Reads a ZIP archive through its central directory, independently of the app's writer,
 *  checking every entry's CRC-32. Returns { name: Buffer }. */
function readZip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = {};
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    assert.equal(buf.readUInt32LE(local), 0x04034b50, `local header of ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    const data = method === 0 ? raw : inflateRawSync(raw);
    assert.equal(crc32(data) >>> 0, crc, `CRC of ${name}`);
    files[name] = data;
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}


/** The iTXt text chunks of a PNG (uncompressed ones), keyword → text. */
function pngTexts(png) {
  const out = {};
  for (let at = 8; at + 12 <= png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'iTXt') {
      const nul = data.indexOf(0);
      // keyword \0, compression flag and method, language tag \0, translated keyword \0, text.
      const lang = data.indexOf(0, nul + 3);
      const translated = data.indexOf(0, lang + 1);
      if (data[nul + 1] === 0) out[data.subarray(0, nul).toString('latin1')] = data.subarray(translated + 1).toString('utf8');
    }
    at += 12 + len;
  }
  return out;
}

test('open a dataset, draw a chart, copy a citation, download the bundle, find it on my data', async () => {
  const { context, page, foreign, errors } = await openPage(browser, { acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(BASE).origin });
  await page.goto(BASE + '/datasets/jt-bus-stops');
  await page.getByRole('heading', { level: 1, name: '公交车线路站点信息' }).waitFor({ timeout: 30_000 });
  const today = await todayIn(page);

  // A1/A3: the attribution box names department, title, platform, address and — before any
  // download — today as the acquisition date.
  const box = page.getByTestId('attribution-box');
  const boxText = await box.innerText();
  for (const part of ['示例市交通运输局', '公交车线路站点信息', '示例市公共数据开放平台', 'https://data.example.gov.cn/datasets/jt-bus-stops']) {
    assert.ok(boxText.includes(part), `attribution box lacks ${part}`);
  }
  assert.ok((await page.getByTestId('acquired-date').innerText()).startsWith(today));

  // B7: draw the default chart (a bar chart of the route names) on the canvas.
  await page.getByTestId('chart-draw').click();
  const status = page.getByTestId('chart-status');
  await page.waitForFunction(() => document.querySelector('[data-testid=chart-status]')?.textContent.length > 0, null, { timeout: 30_000 });
  assert.match(await status.innerText(), /类别/);
  const inked = await page.evaluate(() => {
    const c = document.querySelector('[data-testid=chart-canvas]');
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let dark = 0, blue = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i] < 100 && px[i + 1] < 100 && px[i + 2] < 100) dark++;
      if (px[i] < 60 && px[i + 1] > 90 && px[i + 1] < 130 && px[i + 2] > 160) blue++; // the bars' colour
    }
    return { dark, blue };
  });
  assert.ok(inked.blue > 500, `bars drawn (${inked.blue} bar pixels)`);
  assert.ok(inked.dark > 500, `text and axes drawn (${inked.dark} dark pixels)`);
  // Switch to a histogram of longitude: the chart redraws with the new kind.
  await page.getByTestId('chart-kind').selectOption('histogram');
  await page.getByTestId('chart-x').selectOption({ label: '经度' });
  await page.waitForFunction(() => /点/.test(document.querySelector('[data-testid=chart-status]').textContent));
  await page.getByTestId('chart-kind').selectOption('bar');
  await page.getByTestId('chart-x').selectOption({ label: '线路名称' });
  await page.getByTestId('chart-y').selectOption({ label: '（记录数）' });
  await page.waitForFunction(() => /类别/.test(document.querySelector('[data-testid=chart-status]').textContent));
  await screenshot(page, 'dataset-chart');

  // The SVG export carries the Chinese labels and the attribution line inside the image.
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-svg').click()]);
  const svgPath = `${ARTIFACTS}dataset-chart.svg`;
  await svgDownload.saveAs(svgPath);
  const svg = readFileSync(svgPath, 'utf8');
  assert.ok(svg.startsWith('<svg'), 'an SVG file');
  assert.ok(svg.includes('1路') && svg.includes('线路名称'), 'Chinese labels in the SVG');
  assert.ok(svg.includes('示例市交通运输局') && svg.includes(`获取日期：${today}`), 'attribution inside the SVG');
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-png').click()]);
  const png = readFileSync(await pngDownload.path());
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  // MISSION B7, A1 (Aba 36, Xiangxi 41): the PNG also holds the line as text, readable exactly.
  const attributionText = pngTexts(png).Attribution ?? '';
  assert.ok(attributionText.includes('示例市交通运输局《公交车线路站点信息》') && attributionText.includes(`获取日期：${today}`),
    `attribution inside the PNG: ${JSON.stringify(pngTexts(png))}`);

  // A2: copy the GB/T 7714 citation; the clipboard holds exactly the shown text.
  const expected = `示例市交通运输局. 公交车线路站点信息[DB/OL]. 示例市公共数据开放平台, 2023(2026-10-28)[${today}]. ` +
    'https://data.example.gov.cn/datasets/jt-bus-stops.';
  assert.equal(await page.getByTestId('cite-gbt7714').innerText(), expected);
  await page.getByTestId('copy-cite-gbt7714').click();
  await page.getByTestId('copied-cite-gbt7714').filter({ hasText: '已复制' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);
  await page.getByTestId('copy-cite-ris').click();
  await page.getByTestId('copied-cite-ris').filter({ hasText: '已复制' }).waitFor();
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^TY {2}- DATA\r\n[\s\S]*\r\nER {2}- \r\n$/);

  // B8: the bundle holds the original bytes, ATTRIBUTION.txt in both languages, RIS and BibTeX.
  await page.getByTestId('favourite').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-bundle').click()]);
  assert.equal(download.suggestedFilename(), `jt-bus-stops_bus-stops_${today}.zip`);
  const zipPath = `${ARTIFACTS}dataset-bundle.zip`;
  await download.saveAs(zipPath);
  const files = readZip(readFileSync(zipPath));
  assert.deepEqual(Object.keys(files).sort(), ['ATTRIBUTION.txt', 'bus-stops.csv', 'citation.bib', 'citation.ris']);
  const original = Buffer.from(await (await fetch(`${BASE}/catalog/files/jt-bus-stops/bus-stops.csv`)).arrayBuffer());
  assert.ok(files['bus-stops.csv'].equals(original), 'the data file is the original, byte for byte');
  const attribution = files['ATTRIBUTION.txt'].toString('utf8');
  assert.ok(attribution.includes(`数据来源：示例市交通运输局《公交车线路站点信息》，示例市公共数据开放平台（https://data.example.gov.cn/datasets/jt-bus-stops），获取日期：${today}`));
  assert.ok(attribution.includes(`Data source: 示例市交通运输局, “公交车线路站点信息”, 示例市公共数据开放平台 (https://data.example.gov.cn/datasets/jt-bus-stops), accessed ${today}`));
  assert.ok(files['citation.ris'].toString('utf8').includes(`Y2  - ${today.replaceAll('-', '/')}\r\n`));
  assert.ok(files['citation.bib'].toString('utf8').startsWith('@misc{jt-bus-stops-2026,'));
  await page.getByTestId('download-status').filter({ hasText: today }).waitFor();
  // MISSION B8, A1: the original file alone — its attribution is shown and copyable once
  // saved, and the server names the dataset page in a cite-as Link header.
  const [bare] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-original').click()]);
  assert.equal(bare.suggestedFilename(), 'bus-stops.csv');
  const shownLine = page.getByTestId('original-attribution').locator('.attribution-line');
  await shownLine.filter({ hasText: `获取日期：${today}` }).waitFor();
  assert.match(await shownLine.innerText(), /^数据来源：示例市交通运输局《公交车线路站点信息》/);
  await page.getByTestId('copy-original-attribution').click();
  await page.getByTestId('copied-original-attribution').filter({ hasText: '已复制' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await shownLine.innerText());
  const head = await fetch(`${BASE}/catalog/files/jt-bus-stops/bus-stops.csv`, { method: 'HEAD' });
  assert.equal(head.headers.get('link'), '<https://data.example.gov.cn/datasets/jt-bus-stops>; rel="cite-as"');
  // A3: the acquisition date is now the download day, said as such.
  assert.match(await page.getByTestId('acquired-date').innerText(), /下载/);

  // "My data" lists the favourite and the download with its date; "clear all" empties it.
  await page.getByRole('link', { name: '我的数据' }).click();
  await page.waitForURL(/\/my$/);
  assert.match(await page.getByTestId('favourites').innerText(), /公交车线路站点信息/);
  const downloads = await page.getByTestId('downloads').innerText();
  assert.ok(downloads.includes('bus-stops.csv') && downloads.includes(today));
  await screenshot(page, 'dataset-my-data');
  page.once('dialog', (d) => d.accept());
  await page.getByTestId('clear-local').click();
  await page.getByTestId('no-downloads').waitFor();
  await page.getByTestId('no-favourites').waitFor();
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kaifang.')).length), 0);

  assert.deepEqual(foreign, [], 'no third-party requests');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a GBK file charts with correct Chinese and its pandas snippet reads GBK', async () => {
  const { context, page, errors } = await openPage(browser);
  await page.goto(BASE + '/datasets/hb-air-quality');
  await page.getByRole('heading', { level: 1, name: '空气质量日报' }).waitFor({ timeout: 30_000 });
  const pandas = await page.getByTestId('snippet-0-pandas').innerText();
  assert.ok(pandas.includes(`pd.read_csv("${BASE}/catalog/files/hb-air-quality/air-quality-gbk.csv", encoding="gbk")`), pandas);
  assert.match(pandas, /^# 数据来源：示例市生态环境局《空气质量日报》/);
  await page.getByTestId('chart-draw').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=chart-status]')?.textContent.length > 0, null, { timeout: 30_000 });
  // Bar chart of mean AQI per station: the station names must be decoded from GBK.
  await page.getByTestId('chart-kind').selectOption('bar');
  await page.getByTestId('chart-x').selectOption({ label: '监测站点' });
  await page.getByTestId('chart-y').selectOption({ label: 'AQI' });
  await page.waitForFunction(() => /类别/.test(document.querySelector('[data-testid=chart-status]').textContent));
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-svg').click()]);
  const svg = readFileSync(await svgDownload.path(), 'utf8');
  for (const station of ['东城区监测站', '西山区监测站', '高新区监测站']) {
    assert.ok(svg.includes(station.slice(0, 5)), `station ${station} in the chart`);
  }
  assert.ok(!svg.includes('\uFFFD'), 'no replacement characters: decoded as GBK');
  await screenshot(page, 'dataset-gbk-chart');
  assert.deepEqual(errors, []);
  await context.close();
});

test('without the Clipboard API, copying falls back and still confirms', async () => {
  const { context, page, errors } = await openPage(browser);
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
    document.addEventListener('copy', (e) => { window.__copied = e.target.value ?? String(document.getSelection()); }, true);
  });
  await page.goto(BASE + '/datasets/jt-bus-stops');
  await page.getByTestId('copy-attribution').waitFor({ timeout: 30_000 });
  await page.getByTestId('copy-attribution').click();
  await page.getByTestId('copied-attribution').filter({ hasText: '已复制' }).waitFor();
  assert.equal(await page.evaluate(() => window.__copied), await page.getByTestId('attribution-line').innerText());
  assert.deepEqual(errors, []);
  await context.close();
});

test('conditional and closed datasets offer no download', async () => {
  const { context, page } = await openPage(browser);
  for (const [id, says] of [['yb-settlement', /申请/], ['ga-household', /不予开放/]]) {
    await page.goto(`${BASE}/datasets/${id}`);
    const note = page.getByTestId('no-download');
    await note.waitFor({ timeout: 30_000 });
    assert.match(await note.innerText(), says);
    assert.equal(await page.getByTestId('download-bundle').count(), 0);
    assert.equal(await page.getByTestId('download-original').count(), 0);
    assert.equal(await page.getByTestId('chart-draw').count(), 0, `${id}: no chart of data it does not serve`);
    // The attribution box and citations are still there (A1, A2).
    await page.getByTestId('attribution-box').waitFor();
    await page.getByTestId('cite-gbt7714').waitFor();
  }
  await context.close();
});
