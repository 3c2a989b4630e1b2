// First rows A/B (a dev tool): two `kaifang serve` of the same catalog, one per app build (A_URL,
// B_URL), cold loads alternating (N each), navigation → first row shown as bench/preview.mjs
// measures it (in the page, and painted), and when the wasm arrived. Alternating keeps the machine's drift out of the A/B.
import { firstRowsTimes, launch, median } from '../lib.mjs';
const [A, B] = [process.env.A_URL, process.env.B_URL];
const N = Number(process.env.N ?? 7);
const b = await launch();
async function once(base) {
  const ctx = await b.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${base}/datasets/jt-bus-card-records`, { waitUntil: 'commit' });
  const t = await firstRowsTimes(page);
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'))?.responseEnd);
  await ctx.close();
  return [t.rows, wasm, t.painted];
}
const res = { old: [], new: [] };
for (let i = 0; i < N; i++) { res.old.push(await once(A)); res.new.push(await once(B)); }
for (const k of ['old', 'new']) console.log(k, 'first rows median', median(res[k].map((x) => x[0])).toFixed(1), 'min', Math.min(...res[k].map((x) => x[0])).toFixed(1), 'wasm arrived median', median(res[k].map((x) => x[1])).toFixed(1), '| painted median', median(res[k].map((x) => x[2])).toFixed(1), 'min', Math.min(...res[k].map((x) => x[2])).toFixed(1));
await b.close();
