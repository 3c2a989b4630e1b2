// Time for the app to show the first dataset list, in headless Chromium, cold (a new
// browser context each run), next to a static HTML page of the same list served by the
// same server (the no-JavaScript lower bound), as a ratio.
import { readFileSync, writeFileSync } from 'node:fs';
import { BASE, launch, median } from '../lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const catalogDir = process.env.KAIFANG_CATALOG;
if (!catalogDir) throw new Error('KAIFANG_CATALOG must name the served catalog folder');

// The peer: the first listing page as plain HTML, written beside the catalog.
const page1 = JSON.parse(readFileSync(`${catalogDir}/listing/1.json`, 'utf8'));
const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
writeFileSync(`${catalogDir}/peer-list.html`, `<!doctype html><meta charset="utf-8"><ul>${page1.items
  .map((d) => `<li class="dataset-card"><h2><a href="/datasets/${esc(d.id)}">${esc(d.title)}</a></h2><p>${esc(d.publisher.name)}</p></li>`)
  .join('')}</ul>`);

async function measure(browser, url) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    await page.locator('.dataset-card').first().waitFor({ timeout: 30_000 });
    // ms since navigation start, read in the page when the first card exists.
    times.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  return times;
}

const browser = await launch();
const app = await measure(browser, `${BASE}/`);
const peer = await measure(browser, `${BASE}/catalog/peer-list.html`);
await browser.close();
const fmt = (xs) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}, n=${xs.length})`;
console.log('\n## first dataset list (headless Chromium, cold context, localhost)');
console.log(`kaifang app       ${fmt(app)}`);
console.log(`static HTML peer  ${fmt(peer)}`);
console.log(`ratio app/peer    ${(median(app) / median(peer)).toFixed(2)}x`);
