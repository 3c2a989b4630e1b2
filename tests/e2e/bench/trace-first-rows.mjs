// Where the main thread's time goes on a cold dataset-page load: a Chromium trace of one
// load, summarised as the renderer main thread's top-level work between navigation and
// first rows painted (script, wasm compile, parse, style/layout, paint), in time order.
// Env: KAIFANG_URL, BENCH_DATASET, RUNS (default 3), OUT (write the raw trace there).
import { writeFileSync } from 'node:fs';
import { BASE, firstRowsTimes, launch } from '../lib.mjs';
const browser = await launch();
for (let run = 0; run < Number(process.env.RUNS ?? 3); run++) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'v8.wasm', 'blink.user_timing', 'disabled-by-default-devtools.timeline', 'loading', 'netlog'] });
  await page.goto(`${BASE}/datasets/${process.env.BENCH_DATASET}`, { waitUntil: 'commit' });
  const { rows, painted } = await firstRowsTimes(page);
  const buf = await browser.stopTracing();
  if (process.env.OUT) writeFileSync(`${process.env.OUT}.${run}.json`, buf);
  const { traceEvents } = JSON.parse(buf.toString());
  // The renderer main thread that ran the page: the one with our user-timing marks' thread.
  const mark = traceEvents.find((e) => e.name === 'kaifang:first-rows');
  const pid = mark?.pid;
  const mainTid = traceEvents.find((x) => x.pid === pid && x.name === 'thread_name' && x.args.name === 'CrRendererMain')?.tid;
  const main = traceEvents.filter((e) => e.pid === pid && e.tid === mainTid);
  // Timestamps: trace clock (µs); the navigation start in that clock from the mark's time.
  const t0 = mark ? mark.ts - (await page.evaluate(() => performance.getEntriesByName('kaifang:first-rows')[0]?.startTime ?? 0)) * 1000 : 0;
  const rel = (ts) => ((ts - t0) / 1000).toFixed(1);
  console.log(`run ${run}: rows in the page at ${rows.toFixed(0)} ms, painted at ${painted.toFixed(0)} ms`);
  const tasks = main.filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur > 1500 && (e.ts - t0) / 1000 < painted);
  for (const task of tasks) {
    const inner = main.filter((e) => e.ph === 'X' && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + task.dur && e !== task && (e.dur ?? 0) > 800);
    const names = {};
    for (const e of inner) { const n = e.name + (e.args?.data?.url ? ' ' + e.args.data.url.split('/').pop().slice(0, 30) : '') + (e.args?.data?.functionName ? ' ' + e.args.data.functionName : ''); names[n] = Math.max(names[n] ?? 0, e.dur); }
    const top = Object.entries(names).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, d]) => `${n} ${(d / 1000).toFixed(1)}`).join(' | ');
    console.log(`  ${rel(task.ts)} +${(task.dur / 1000).toFixed(1)} ms: ${top}`);
  }
  for (const e of traceEvents.filter((e) => e.pid === pid && (e.cat ?? '').includes('user_timing') && e.name.startsWith('kaifang'))) console.log(`  mark ${e.name} ${rel(e.ts)}`);
  await context.close();
}
await browser.close();
