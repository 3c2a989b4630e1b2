// Where the time to first rows goes: resource timings of one cold dataset-page load.
// Env: KAIFANG_URL, BENCH_DATASET.
import { BASE, firstRowsTimes, launch } from '../lib.mjs';
const browser = await launch();
for (let i = 0; i < Number(process.env.RUNS ?? 3); i++) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/datasets/${process.env.BENCH_DATASET}`, { waitUntil: 'commit' });
  const { rows, painted } = await firstRowsTimes(page);
  const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({ name: e.name.replace(location.origin, '').slice(0, 60), start: e.startTime.toFixed(0), respStart: e.responseStart.toFixed(0), end: e.responseEnd.toFixed(0), size: e.encodedBodySize })));
  const nav = await page.evaluate(() => { const n = performance.getEntriesByType('navigation')[0]; return { respEnd: n.responseEnd.toFixed(0), domInteractive: n.domInteractive.toFixed(0) }; });
  const marks = await page.evaluate(() => { const s = document.querySelector('.preview-status'); return s && { request: s.dataset.requestMs, chunk: s.dataset.firstChunkMs, rows: s.dataset.firstRowsMs }; });
  console.log(`run ${i}: rows shown at ${rows.toFixed(0)} ms, painted at ${painted.toFixed(0)} ms; nav`, nav, 'marks', marks);
  for (const e of entries) console.log('  ', e.start, e.respStart, e.end, e.size, e.name);
  await context.close();
}
await browser.close();
