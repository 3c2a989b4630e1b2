// Chart benchmark (issue 4, item 7): time to draw a one-million-point line chart in
// headless Chromium, from the column cells to pixels on a canvas (parse + LTTB + plotters),
// next to the same pipeline drawing every point without downsampling (the peer), as a
// ratio. Target: < 200 ms for the downsampled chart.
//
// The work runs in the release wasm through `window.wasmBindings.bench_chart(rows,
// downsample)` (src/charts/bench.rs), which times prepare and draw with performance.now().
// Usage: KAIFANG_URL=http://127.0.0.1:PORT node bench/chart.mjs   (from tests/e2e)
// Env: BENCH_ROWS (default 1e6, at most 5e6), BENCH_RUNS (default 5, at most 20).
import { BASE, launch, median } from '../lib.mjs';

const rows = Math.min(Number(process.env.BENCH_ROWS ?? 1_000_000), 5_000_000);
const runs = Math.min(Number(process.env.BENCH_RUNS ?? 5), 20);

const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(BASE + '/', { waitUntil: 'load' });
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_chart, null, { timeout: 30_000 });
  await page.evaluate(() => window.wasmBindings.bench_chart(10_000, true)); // warm-up

  const measure = async (downsample) => {
    const results = [];
    for (let i = 0; i < runs; i++) {
      results.push(JSON.parse(await page.evaluate(([n, d]) => window.wasmBindings.bench_chart(n, d), [rows, downsample])));
    }
    const pick = (k) => median(results.map((r) => r[k]));
    return { rows, points_drawn: results[0].points_drawn, prepare_ms: pick('prepare_ms'), draw_ms: pick('draw_ms'), total_ms: pick('total_ms') };
  };
  const lttb = await measure(true);
  const all = await measure(false);
  console.log('\n## chart (1 line chart, 800×500 canvas, median of ' + runs + ' runs)');
  for (const [name, r] of [['lttb', lttb], ['all_points', all]]) {
    console.log(JSON.stringify({ bench: 'chart', variant: name, runs, ...r }));
  }
  console.log(
    `chart ${rows} rows: downsampled ${lttb.total_ms.toFixed(1)} ms (prepare ${lttb.prepare_ms.toFixed(1)} + draw ` +
      `${lttb.draw_ms.toFixed(1)}; ${lttb.points_drawn} points drawn) vs all points ${all.total_ms.toFixed(1)} ms ` +
      `(prepare ${all.prepare_ms.toFixed(1)} + draw ${all.draw_ms.toFixed(1)}) — ratio ${(all.total_ms / lttb.total_ms).toFixed(2)}×; ` +
      `target < 200 ms: ${lttb.total_ms < 200 ? 'met' : 'MISSED'}`,
  );
} finally {
  await browser.close();
}
