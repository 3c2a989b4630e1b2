// Chart benchmark (issue 4, item 7): time to draw a one-million-point line chart in
// headless Chromium, from the column cells to pixels on a canvas (parse + LTTB + plotters),
// next to the same pipeline drawing all points without downsampling (the peer), as a ratio.
// Target: < 200 ms for the downsampled chart.
//
// Usage: KAIFANG_URL=http://127.0.0.1:PORT node tests/e2e/bench/chart.mjs [rows] [runs]
// (`cargo xtask bench` starts `kaifang serve` and sets KAIFANG_URL.) Prints one JSON line
// per figure, then a summary; loopback only, bounded (rows ≤ 5e6, runs ≤ 20).
import { chromium } from 'playwright-core';

const base = process.env.KAIFANG_URL;
if (!base) {
  console.error('set KAIFANG_URL to the running `kaifang serve` address');
  process.exit(2);
}
const rows = Math.min(Number(process.argv[2] ?? 1_000_000), 5_000_000);
const runs = Math.min(Number(process.argv[3] ?? 5), 20);

// playwright-core gives the browser a new, empty profile directory of its own.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_chart, null, { timeout: 30_000 });
  // Warm-up: JIT and allocator.
  await page.evaluate(() => window.wasmBindings.bench_chart(10_000, true));

  const measure = async (downsample) => {
    const results = [];
    for (let i = 0; i < runs; i++) {
      results.push(JSON.parse(await page.evaluate(([n, d]) => window.wasmBindings.bench_chart(n, d), [rows, downsample])));
    }
    results.sort((a, b) => a.total_ms - b.total_ms);
    return results[Math.floor(results.length / 2)]; // median run
  };
  const lttb = await measure(true);
  const all = await measure(false);
  const fig = (name, r) => console.log(JSON.stringify({ bench: 'chart', variant: name, runs, ...r }));
  fig('lttb', lttb);
  fig('all_points', all);
  console.log(
    `chart ${rows} rows: downsampled ${lttb.total_ms.toFixed(1)} ms (prepare ${lttb.prepare_ms.toFixed(1)} + draw ` +
      `${lttb.draw_ms.toFixed(1)}, ${lttb.points_drawn} points drawn) vs all points ${all.total_ms.toFixed(1)} ms ` +
      `(${all.points_drawn} points) — ratio ${(all.total_ms / lttb.total_ms).toFixed(2)}x; target < 200 ms: ` +
      `${lttb.total_ms < 200 ? 'met' : 'MISSED'}`,
  );
} finally {
  await browser.close();
}
