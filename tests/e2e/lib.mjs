// Shared helpers for end-to-end tests and browser benchmarks: launch Debian's Chromium
// headless with the flags these machines need, and watch for third-party requests (X3).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const BASE = (process.env.KAIFANG_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Headless Chromium; `extra` adds flags (the scroll benchmark turns the frame-rate cap off). */
export async function launch(extra = []) {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: [...FLAGS, ...extra] });
}

/** A browser with a profile on disk in `dir` (not off the record: Chromium's installability
 *  check refuses off-the-record contexts), as one context + page with `openPage`'s watchers. */
export async function openPersistent(dir, options = {}) {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS, locale: 'zh-CN', ...options,
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  followTakeover(page);
  return { context, page, errors };
}

/** A fresh context + page; `foreign` collects every request that leaves the app's origin. */
export async function openPage(browser, options = {}) {
  // The service worker (src/sw.js) is left out unless a journey asks for it (phone.test.mjs):
  // the other journeys count and time the requests the page itself makes.
  const context = await browser.newContext({ locale: 'zh-CN', serviceWorkers: 'block', ...options });
  const page = await context.newPage();
  const origin = new URL(BASE).origin;
  const foreign = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  followTakeover(page);
  return { context, page, foreign, errors };
}

/**
 * Pages come rendered at build time and the app takes them over once its own page is complete
 * (src/takeover.rs). A journey acts on the app, so a navigation here returns once the app
 * has taken the page over: `goto` and `reload` wait for it (pass `{ builtOnly: true }` to
 * `goto` to look at the page as built).
 *
 * The parts whose code loads on first use (src/lazy.rs: a dataset page's preview and charts)
 * are then asked for and waited for too, so the journeys act on the live parts as before;
 * `{ lazyParts: 'keep' }` leaves them as adopted from the built page (lazy.test.mjs).
 */
export function followTakeover(page) {
  const settle = async (res, options) => {
    if (options?.builtOnly || options?.javaScriptDisabled) return res;
    await page.waitForFunction(() => !document.querySelector('#app[data-prerendered]'), null, { timeout: 30_000 });
    if (options?.lazyParts !== 'keep') await partsLive(page);
    return res;
  };
  const goto = page.goto.bind(page);
  const reload = page.reload.bind(page);
  const waitForURL = page.waitForURL.bind(page);
  const goBack = page.goBack.bind(page);
  page.goto = async (url, options) => settle(await goto(url, options), options);
  page.reload = async (options) => settle(await reload(options), options);
  // A link to another kind of page loads it in full (each kind is its own module,
  // src/modules.rs), and so does Back to it: once there, the same wait.
  page.waitForURL = async (url, options) => settle(await waitForURL(url, options), options);
  page.goBack = async (options) => settle(await goBack(options), options);
}

/** Waits until the app has taken over the page the build rendered (after a link that loaded
 * another kind of page in full, src/modules.rs). */
export async function takenOver(page) {
  await page.waitForFunction(() => !document.querySelector('#app[data-prerendered]'), null, { timeout: 30_000 });
}

/** Asks for every part adopted from the built page (as a pointer over it would) and waits
 * until each is the app's own (src/lazy.rs). */
export async function partsLive(page) {
  await page.evaluate(() => {
    for (const slot of document.querySelectorAll('[data-lazy-slot]')) {
      if (slot.querySelector(':scope > [data-adopted]')) slot.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
    }
  });
  await page.waitForFunction(() => !document.querySelector('[data-adopted], [data-lazy][aria-hidden]'), null, { timeout: 30_000 });
}

export async function screenshot(page, name) {
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Waits for the preview's first table row and returns, in ms since navigation start, when it
 * was first in the page (`rows`: the animation frame that found it, before that frame's style,
 * layout and paint) and when that frame had been rendered (`painted`: a task queued from that
 * frame runs after its rendering steps — what the user sees, give or take the compositor).
 */
export async function firstRowsTimes(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const started = performance.now();
    const check = () => {
      if (document.querySelector('.grid tbody tr:not(.loading) td')) {
        const rows = performance.now();
        setTimeout(() => resolve({ rows, painted: performance.now() }), 0);
      } else if (performance.now() - started > 60_000) {
        reject(new Error('no table row within 60 s'));
      } else {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  }));
}

/** A phone as the issue measured it (issue 18): 360 × 740 CSS px, touch, DPR 2. */
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** Waits until the search results shown belong to the page's current URL and are complete. */
export async function settled(page) {
  await page.waitForFunction(() => {
    const ul = document.getElementById('search-results');
    const key = location.search.replace(/^\?/, '');
    return ul && ul.dataset.key === key && ul.dataset.phase === 'complete';
  }, null, { timeout: 30_000 });
}

/** Ticks the first value shown of each facet, one at a time, each once the URL and the results
 * have followed. */
export async function tickFirstOfEach(page, facets) {
  for (const facet of facets) {
    const box = page.locator(`.facet[data-facet="${facet}"] input[type=checkbox]`).first();
    const key = await box.getAttribute('data-key');
    await box.check();
    await page.waitForURL((u) => new URL(u).searchParams.getAll(facet).includes(key));
    await settled(page);
  }
}
