// The real parts the sign-in journeys run against: an OpenID provider (npm `oidc-provider`,
// tests/auth/provider.mjs), an SMTP server writing a Maildir (PyPI `aiosmtpd`), and a
// `kaifang serve` of their own configured for both (tests/auth/intake.toml's shape).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { buildCatalog, cleanUp, serve, tempDir } from './intake.mjs';
import { launch } from './lib.mjs';

const REPO = new URL('../../', import.meta.url).pathname;
const children = [];

/** A port nobody listens on now (the provider must know the intake's address before either starts). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Spawns a child and waits for `ready` on its stdout or stderr. */
function start(cmd, args, ready, env = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start: ${out}`)), 30_000);
    const seen = (d) => { out += d; if (ready.test(out)) { clearTimeout(timer); resolve(child); } };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${cmd} exited ${code}: ${out}`)); });
  });
}

/** Waits until `port` on loopback accepts connections. */
async function listening(port) {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((r) => { const c = connect(port, '127.0.0.1', () => { c.end(); r(true); }); c.on('error', () => r(false)); });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

/**
 * Starts provider, SMTP sink and an intake over a sample catalog under `jurisdiction`.
 * Answers `{ server, issuer, maildir, built, config }` (`built` and `config` to start the
 * intake again on the same port, e.g. with its clock moved).
 */
export async function startSignInWorld(jurisdiction = 'xiangxi') {
  const provider = process.env.KAIFANG_OIDC_PROVIDER;
  const python = process.env.KAIFANG_AIOSMTPD_PYTHON;
  if (!provider || !python) throw new Error('KAIFANG_OIDC_PROVIDER and KAIFANG_AIOSMTPD_PYTHON must be set (cargo xtask test sets them)');
  const [kaifangPort, idpPort, smtpPort] = [await freePort(), await freePort(), await freePort()];
  const origin = `http://127.0.0.1:${kaifangPort}`;
  const issuer = `http://127.0.0.1:${idpPort}`;
  await start('node', [join(REPO, 'tests/auth/provider.mjs'), String(idpPort), `${origin}/auth/callback`], /listening on/,
    { KAIFANG_OIDC_PROVIDER: provider });
  const dir = tempDir('kaifang-signin-');
  const maildir = join(dir, 'mail');
  start(python, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], /.^/)
    .catch(() => {}); // aiosmtpd prints nothing when ready; the port tells.
  await listening(smtpPort);
  const config = join(dir, 'intake.toml');
  const template = readFileSync(join(REPO, 'tests/auth/intake.toml'), 'utf8');
  writeFileSync(config, template.replaceAll('{issuer}', issuer).replaceAll('{origin}', origin).replaceAll('{smtp_port}', String(smtpPort)));
  const built = await buildCatalog(jurisdiction);
  const server = await serve({ ...built, intakeConfig: config }, kaifangPort);
  return { server, issuer, maildir, built, config };
}

/** A journey file's world and browser, started before its tests and stopped after them;
 * `ctx.world` and `ctx.browser` once its tests run. */
export function signInJourneys(jurisdiction) {
  const ctx = {};
  before(async () => {
    ctx.world = await startSignInWorld(jurisdiction);
    ctx.browser = await launch();
  });
  after(async () => {
    await ctx.browser?.close();
    stopSignInWorld();
    await cleanUp();
  });
  return ctx;
}

/** Signs `page` in as `login` (an account of tests/auth/provider.mjs) through the provider's
 * own login form; lands on `returnTo`. */
export async function signIn(page, base, login, returnTo = '/filings') {
  await page.goto(`${base}/auth/login?return=${encodeURIComponent(returnTo)}`, { builtOnly: true });
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await Promise.all([page.waitForURL((u) => u.href.startsWith(base), { timeout: 30_000 }), page.locator('button[type="submit"]').click()]);
}

/** The messages the SMTP sink has received, as text. */
export function mails(maildir) {
  const dir = join(maildir, 'new');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** Waits (up to `ms`) for a message for which `match(text)` holds. */
export async function waitForMail(maildir, match, ms = 30_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const found = mails(maildir).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no matching mail in ${ms} ms; got ${mails(maildir).length}: ${mails(maildir).join('\n----\n').slice(0, 2000)}`);
}

/** Stops provider and SMTP sink (the intake stops with intake.mjs's `cleanUp`). */
export function stopSignInWorld() {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
}

/** A message's headers and body with quoted-printable / base64 / encoded words decoded. */
export function decodeMail(raw) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  let body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head)) body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    body = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  const words = head.replace(/=\?utf-8\?b\?([^?]*)\?=/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
  return `${words}\n\n${body}`;
}

/** A researcher's application for Xiangxi's conditional trajectories (a name and document
 * the verified identity replaces). */
export const application = () => ({
  kind: 'application',
  applicant: {
    type: 'natural_person',
    name: '随手填的名字',
    id_document: { kind: 'other', number: 'X-1', description: '护照' },
    contact: { phone: '13812345678', email: 'researcher@example.edu.cn' },
  },
  datasets: [{ id: 'jt-vehicle-trajectories', fields: ['sj', 'jd', 'wd'] }],
  purpose: '城市交通拥堵研究',
  scope_of_use: '课题组内部研究',
  scenario: '分析早晚高峰车速变化',
  users: ['张研究'],
  security_measures: '加密存储,专人管理,不对外提供',
  period: { start: '2027-01-01', end: '2027-12-31' },
  security_commitment_ack: true,
  data_use_agreement_ack: true,
});

/** A JSON request from the page, with the page's cookies, as the app makes it. */
export async function api(page, path, { method = 'GET', body } = {}) {
  return page.evaluate(async ({ path, method, body }) => {
    const res = await fetch(path, {
      method, credentials: 'same-origin',
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }, { path, method, body });
}
