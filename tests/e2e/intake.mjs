// The intake side of the filing journeys: `kaifang review` (the provider acting), and servers of
// their own for journeys that need another rule set or stop and restart the intake.
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BASE } from './lib.mjs';

export const BIN = process.env.KAIFANG_BIN;
const REPO = new URL('../../', import.meta.url).pathname;
const APP = process.env.KAIFANG_APP ?? join(REPO, 'dist');
if (!BIN || !process.env.KAIFANG_CATALOG || !process.env.KAIFANG_DATA) {
  throw new Error('KAIFANG_BIN, KAIFANG_CATALOG and KAIFANG_DATA must be set (cargo xtask test and cargo xtask e2e set them)');
}

/** The server `cargo xtask` started for every journey. */
export const shared = { url: BASE, catalog: process.env.KAIFANG_CATALOG, data: process.env.KAIFANG_DATA };

/** Opens the error-report form for hb-air-quality on `base` and fills it in (not submitted):
 * the report several journeys file, with the reporter and the row they name. */
export async function fillErrorReport(page, base, r = {}) {
  const { name = '王五', phone = '010-12345678', row = '7', explanation = '第 7 行 PM2.5 数值与监测站公布值不一致。' } = r;
  await page.goto(base + '/file/report?dataset=hb-air-quality');
  await page.locator('[data-form=error_report]').waitFor();
  await page.fill('#f-reporter-name', name);
  await page.fill('#f-reporter-contact-phone', phone);
  await page.fill('#f-location-row', row);
  await page.fill('#f-explanation', explanation);
}

/** `kaifang review …` on `server`'s intake database; answers the JSON it prints. */
export function review(args, server = shared) {
  return new Promise((resolve, reject) => {
    execFile(BIN, ['review', '--database', `sqlite:${server.data}/intake.sqlite`, '--catalog', server.catalog, ...args],
      { timeout: 60_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`review ${args.join(' ')} failed: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout));
      });
  });
}

const temps = [];
const servers = [];

/** A fresh temporary folder, removed by `cleanUp`. */
export function tempDir(prefix = 'kaifang-e2e-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/**
 * Builds the sample portal's catalog into a fresh temporary folder (the intake's data beside
 * it), optionally under another jurisdiction's rules. The generated 144 MB dataset is left out:
 * no filing journey uses it, and each copy would cost 300 MB of disk.
 */
export function buildCatalog(jurisdiction) {
  const dir = tempDir('kaifang-filing-');
  const src = join(dir, 'portal');
  const portal = join(REPO, 'examples/portal');
  cpSync(portal, src, {
    recursive: true,
    filter: (from) => !from.startsWith(join(portal, 'generated')) && !from.endsWith('jt-bus-card-records.toml'),
  });
  if (jurisdiction) {
    const toml = join(src, 'portal.toml');
    writeFileSync(toml, readFileSync(toml, 'utf8').replace(/^jurisdiction = ".*"$/m, `jurisdiction = "${jurisdiction}"`));
  }
  const out = join(dir, 'catalog');
  return new Promise((resolve, reject) => {
    execFile(BIN, ['catalog', 'build', src, '--out', out], { timeout: 60_000 }, (err, _o, stderr) =>
      err ? reject(new Error(stderr || err.message)) : resolve({ catalog: out, data: join(dir, 'data') }));
  });
}

/**
 * Builds a catalog from a source folder written here: `files` maps paths inside the folder
 * (`portal.toml`, `datasets/x.toml`, `files/x.csv`) to their contents. Answers
 * `{ catalog, data }` like `buildCatalog`.
 */
export function buildFromSource(files, prefix = 'kaifang-source-') {
  const dir = tempDir(prefix);
  const src = join(dir, 'portal');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(src, path)), { recursive: true });
    writeFileSync(join(src, path), content);
  }
  const out = join(dir, 'catalog');
  return new Promise((resolve, reject) => {
    execFile(BIN, ['catalog', 'build', src, '--out', out], { timeout: 60_000 }, (err, _o, stderr) =>
      err ? reject(new Error(stderr || err.message)) : resolve({ catalog: out, data: join(dir, 'data') }));
  });
}

/** Writes the pages of `catalog` (`kaifang render`) into a fresh folder; answers its path. */
export function renderPages(catalog) {
  const out = join(tempDir('kaifang-pages-'), 'site');
  return new Promise((resolve, reject) => {
    execFile(BIN, ['render', '--catalog', catalog, '--app', APP, '--out', out], { timeout: 120_000 }, (err, _o, stderr) =>
      err ? reject(new Error(stderr || err.message)) : resolve(out));
  });
}

/** Starts `kaifang serve` (port 0 = any free port) and waits for its address; `pages`: serve
 * the pages `renderPages` wrote in front of the app, as a portal runs it; `intakeConfig`: the
 * intake's configuration file (sign-in, e-mail); `clockStart`: the intake's clock starts at
 * that instant (`--clock-start`, RFC 3339 UTC), to move past a reply date. */
export function serve({ catalog, data, pages, intakeConfig, clockStart }, port = 0) {
  const args = ['serve', '--app', APP, '--catalog', catalog, '--data', data, '--addr', `127.0.0.1:${port}`];
  if (pages) args.push('--pages', pages);
  if (intakeConfig) args.push('--intake-config', intakeConfig);
  if (clockStart) args.push('--clock-start', clockStart);
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, catalog, data };
  servers.push(server);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/on (http:\/\/127\.0\.0\.1:(\d+))\//);
      if (m) { clearTimeout(timer); resolve(Object.assign(server, { url: m[1], port: Number(m[2]) })); }
    });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${out}`)); });
  });
}

/** Kills a server started by `serve` (as a crash would) and waits until it has gone. */
export function stop(server) {
  return new Promise((resolve) => {
    // A child killed by a signal has exitCode null and signalCode set: it has exited too.
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

/** Stops every server `serve` started and removes every catalog `buildCatalog` made. */
export async function cleanUp() {
  for (const s of servers.splice(0)) await stop(s);
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Opens an action's form on the filing shown, fills `fields` (input id suffix → value), submits,
 * and waits for the state it leads to. */
export async function act(page, action, fields, state) {
  const form = page.locator(`details.desk-action[data-action=${action}]`);
  await form.locator('summary').click();
  for (const [name, value] of Object.entries(fields)) {
    const input = page.locator(`#act-${action}-${name}`);
    if (await input.evaluate((e) => e.tagName) === 'SELECT') await input.selectOption(value);
    else await input.fill(value);
  }
  await form.locator('button[type=submit]').click();
  await page.locator(`[data-testid=desk-state][data-state=${state}]`).waitFor({ timeout: 15_000 });
}

/** The filer answers a request for information on `item` (a filing in "my filings", kept
 * here or on the account) and waits until it is back under review. */
export async function supplyInformation(item, text) {
  await item.locator('[data-state=information_requested]').waitFor({ timeout: 15_000 });
  await item.locator('#supply_information-text').fill(text);
  await item.getByTestId('supply_information').locator('button[type=submit]').click();
  await item.locator('[data-state=under_review]').waitFor({ timeout: 15_000 });
}
