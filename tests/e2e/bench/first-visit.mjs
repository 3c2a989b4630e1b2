// A first visit on a phone (issue 13): Lighthouse's default mobile run (simulated slow 4G, 4×
// CPU throttling) on the front page and a dataset page, median of BENCH_RUNS (3) runs, beside
// the same pages as plain HTML without the app's scripts — the peer, which sets the limit.
// Run by `cargo xtask bench first-visit`, which serves both and names them in the environment.
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../lib.mjs';

const SITE = process.env.KAIFANG_URL;
const PEER = process.env.PEER_URL;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PAGES = ['/', '/datasets/jt-bus-stops'];
const FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync';

/** One Lighthouse run; a run Lighthouse itself gives up on (e.g. NO_NAVSTART, "please run
 * Lighthouse again") is tried again, twice at most, and says so. */
function lighthouse(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      return lighthouseOnce(url);
    } catch (e) {
      if (attempt >= 3) throw e;
      console.error(`Lighthouse run ${attempt} on ${url} failed; running it again`);
    }
  }
}

function lighthouseOnce(url) {
  const dir = mkdtempSync(join(tmpdir(), 'lh-'));
  const out = join(dir, 'report.json');
  try {
    execFileSync(process.env.LIGHTHOUSE, [url, '--quiet', '--output=json', `--output-path=${out}`,
      `--chrome-flags=${FLAGS} --user-data-dir=${join(dir, 'profile')}`], { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, stdio: ['ignore', 'ignore', 'inherit'] });
    const r = JSON.parse(readFileSync(out, 'utf8'));
    const a = (id) => r.audits[id]?.numericValue;
    const c = (id) => r.categories[id]?.score;
    return {
      lcp: a('largest-contentful-paint'), fcp: a('first-contentful-paint'), tbt: a('total-blocking-time'),
      tti: a('interactive'), cls: a('cumulative-layout-shift'), si: a('speed-index'),
      performance: c('performance'), seo: c('seo'), accessibility: c('accessibility'), best: c('best-practices'),
      installable: r.audits['installable-manifest']?.score,
      lcpElement: lcpElement(r),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The element Lighthouse painted last as the largest (its selector), to tell a late LCP of
 * the page's own content from one the app painted anew. */
function lcpElement(report) {
  const find = (x) => {
    if (!x || typeof x !== 'object') return undefined;
    if (x.type === 'node') return x.selector ?? x.snippet;
    for (const v of Array.isArray(x) ? x : Object.values(x)) {
      const found = find(v);
      if (found) return found;
    }
    return undefined;
  };
  // Lighthouse 13 names it in its LCP breakdown insight.
  return find(report.audits['lcp-breakdown-insight']?.details);
}

function medianOf(runs, key) {
  const xs = runs.map((r) => r[key]).filter((x) => typeof x === 'number');
  return xs.length ? median(xs) : undefined;
}

const fmtMs = (x) => (x === undefined ? '—' : `${(x / 1000).toFixed(2)} s`);
const fmt = (x) => (x === undefined ? '—' : x.toFixed(2));

// Each kind of page loads its own module (src/modules.rs): xtask passes each one's size.
for (const [name, sizes] of Object.entries(JSON.parse(process.env.MODULE_SIZES ?? '{}'))) {
  console.log(`module ${name}: ${sizes.raw} bytes raw, ${sizes.brotli} bytes brotli 11 (target ≤ 500 KB)`);
}
for (const path of PAGES) {
  const site = [];
  const peer = [];
  for (let i = 0; i < RUNS; i++) {
    site.push(lighthouse(SITE + path));
    peer.push(lighthouse(PEER + path));
  }
  console.log(`\n### ${path} (median of ${RUNS})`);
  console.log(`${'metric'.padEnd(22)} ${'kaifang'.padStart(10)} ${'plain HTML'.padStart(11)} ${'ratio'.padStart(7)}  target`);
  const row = (label, key, f, target) => {
    const [s, p] = [medianOf(site, key), medianOf(peer, key)];
    const ratio = s !== undefined && p ? (s / p).toFixed(2) : '—';
    console.log(`${label.padEnd(22)} ${f(s).padStart(10)} ${f(p).padStart(11)} ${ratio.padStart(7)}  ${target}`);
  };
  row('LCP', 'lcp', fmtMs, '≤ 1.0 s');
  row('FCP', 'fcp', fmtMs, '');
  row('time to interactive', 'tti', fmtMs, '≤ 3.5 s');
  row('total blocking time', 'tbt', fmtMs, '');
  row('speed index', 'si', fmtMs, '');
  row('CLS', 'cls', fmt, '');
  row('Performance', 'performance', fmt, '≥ 0.95');
  row('SEO', 'seo', fmt, '1.0');
  row('Accessibility', 'accessibility', fmt, '1.0');
  row('Best practices', 'best', fmt, '1.0');
  const elements = (runs) => [...new Set(runs.map((r) => r.lcpElement ?? '—'))].join(' | ');
  console.log(`LCP element: kaifang ${elements(site)}; plain HTML ${elements(peer)}`);
}
