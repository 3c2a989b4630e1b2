// Scroll frame times of the virtual grid alone, for working on the grid: the same scrolls as
// preview.mjs (uncapped: frame-rate cap and vsync off, so an interval is the time a frame
// takes), repeated, and optionally a Chromium trace of one scroll per step broken down by
// what the renderer's threads spent the frames on.
// Env: KAIFANG_URL (a running `kaifang serve` over the sample catalog), BENCH_DATASET
//      (default jt-bus-card-records), STEPS (px per frame, default "100,2000"), ROUNDS
//      (scrolls per step, default 3), FRAMES (per scroll, default 240), TRACE=1 (trace the
//      scrolls and print the thread time, i.e. CPU, per frame of each renderer thread and of
//      the main thread's steps: less swayed by other work on the machine than wall time;
//      TRACE_OUT=PREFIX also writes each trace to PREFIX-STEP-ROW.json for Perfetto), CSS_B (a style sheet to try
//      without a rebuild: rounds then alternate without it (A) and with it (B), so both see
//      the same machine load), WARM=1 (scroll each stretch once unmeasured first, so the
//      measured pass has every row read: compares rendering alone, without network timing).
import { writeFileSync } from 'node:fs';
import { BASE, launch, median } from '../lib.mjs';

const DATASET = process.env.BENCH_DATASET ?? 'jt-bus-card-records';
const STEPS = (process.env.STEPS ?? '100,2000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const FRAMES = Number(process.env.FRAMES ?? 240);
const TRACE = process.env.TRACE === '1';
const WARM = process.env.WARM === '1';

const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]; };
const fmt = (x) => x.toFixed(1);

const browser = await launch(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto(`${BASE}/datasets/${DATASET}`);
await page.locator('.grid tbody tr:not(.loading)').first().waitFor({ timeout: 60_000 });
await page.click('[data-testid=scan]');
await page.waitForSelector('.preview-status[data-scan-ms]', { timeout: 600_000 });

// Each scroll starts 2000 rows further on, where nothing is cached (as in preview.mjs).
let startRow = 0;
// A scroll covers about 3000 rows at 100 px/frame (the spacer is capped, see grid.rs).
async function scroll(step) {
  startRow += 4000;
  if (WARM) await warmFrom(startRow, step);
  if (!TRACE) return scrollFrom(startRow, step);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'viz', 'toplevel'] });
  const result = await scrollFrom(startRow, step);
  const trace = await browser.stopTracing();
  if (process.env.TRACE_OUT) writeFileSync(`${process.env.TRACE_OUT}-${step}-${startRow}.json`, trace);
  return { ...result, cpu: cpuPerFrame(trace) };
}
/** The same stretch, waiting on every frame until its rows are read (a range read in flight
 * makes the grid skip the rows it scrolled past meanwhile). */
async function warmFrom(row, step) {
  await page.evaluate(async ({ top, step, frames }) => {
    const el = document.querySelector('.grid-scroller');
    el.scrollTop = top;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    for (let i = 0; i < frames; i++) {
      await frame();
      for (let t = performance.now(); document.querySelector('.grid tbody tr.loading') && performance.now() - t < 2000;) await frame();
      el.scrollTop += step;
    }
  }, { top: row * 32, step, frames: FRAMES });
}
async function scrollFrom(row, step) {
  await page.evaluate((top) => { document.querySelector('.grid-scroller').scrollTop = top; }, row * 32);
  await page.waitForFunction(() => !document.querySelector('.grid tbody tr.loading'), null, { timeout: 10_000 });
  return page.evaluate(async ({ step, frames }) => {
    const el = document.querySelector('.grid-scroller');
    el.focus();
    const deltas = [];
    let waiting = 0;
    let last = performance.now();
    for (let i = 0; i < frames; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      deltas.push(now - last);
      if (document.querySelector('.grid tbody tr.loading')) waiting++;
      last = now;
      el.scrollTop += step;
    }
    return { deltas: deltas.slice(5), waiting };
  }, { step, frames: FRAMES });
}

/** Thread (CPU) time per frame: each renderer thread's tasks, and the main thread's steps. */
const STEPS_OF_MAIN = ['EventDispatch', 'FireAnimationFrame', 'BlinkScheduler_PerformMicrotaskCheckpoint', 'Layout',
  'UpdateLayoutTree', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'EventHandler::handleMouseMoveEvent'];
function cpuPerFrame(trace) {
  const events = JSON.parse(trace.toString()).traceEvents;
  const threads = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const us = new Map();
  const add = (k, t) => us.set(k, (us.get(k) ?? 0) + t);
  let frames = 0;
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    const thread = threads.get(`${e.pid}:${e.tid}`) ?? '?';
    const t = e.tdur ?? e.dur;
    if (thread === 'CrRendererMain' && e.name === 'ProxyMain::BeginMainFrame') frames++;
    // Top-level tasks only (a task's events nest inside it).
    if (['ThreadControllerImpl::RunTask', 'ThreadPool_RunTask'].includes(e.name)) add(thread, t);
    if (thread === 'CrRendererMain' && STEPS_OF_MAIN.includes(e.name)) add(`main: ${e.name}`, t);
  }
  return Object.fromEntries([...us].map(([k, t]) => [k, t / 1000 / Math.max(1, frames)]));
}
function sumCpu(list) {
  const total = {};
  for (const c of list) for (const [k, v] of Object.entries(c)) total[k] = (total[k] ?? 0) + v / list.length;
  const shown = Object.entries(total).filter(([, v]) => v >= 0.1);
  const threads = shown.filter(([k]) => !k.startsWith('main: ')).sort((a, b) => b[1] - a[1]);
  const steps = STEPS_OF_MAIN.map((s) => [s, total[`main: ${s}`]]).filter(([, v]) => v);
  return `    threads: ${threads.map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}\n    main thread: ${steps.map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`;
}

console.log(`## grid scroll on ${DATASET}, uncapped (time per frame), ${FRAMES} frames per scroll`);
const CSS_B = process.env.CSS_B;
const variants = CSS_B ? ['A', 'B'] : [''];
const setVariant = (v) => page.evaluate(({ on, css }) => {
  let sheet = document.getElementById('bench-css-b');
  if (!sheet) { sheet = document.createElement('style'); sheet.id = 'bench-css-b'; document.head.append(sheet); }
  sheet.textContent = on ? css : '';
}, { on: v === 'B', css: CSS_B ?? '' });
for (const step of STEPS) {
  const all = Object.fromEntries(variants.map((v) => [v, { deltas: [], cpu: [] }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of variants) {
      await setVariant(v);
      const { deltas, waiting, cpu } = await scroll(step);
      all[v].deltas.push(...deltas);
      if (cpu) all[v].cpu.push(cpu);
      console.log(`scroll ${step} px/frame ${v}, round ${r + 1}: p95 ${fmt(p95(deltas))} ms, median ${fmt(median(deltas))} ms; ${waiting} frames showed unread rows`);
    }
  }
  for (const v of variants) {
    console.log(`scroll ${step} px/frame ${v}, all rounds: p95 ${fmt(p95(all[v].deltas))} ms, median ${fmt(median(all[v].deltas))} ms`);
    if (TRACE) console.log(`  thread time (CPU) per frame, ms, mean of the rounds (traced):\n${sumCpu(all[v].cpu)}`);
  }
}
if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
await browser.close();
