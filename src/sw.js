// Kaifang's service worker (docs/phone.md): keeps what a person has opened readable offline.
// Same-origin only; nothing here talks to any other host (MISSION X3).
//
// - The app's content-hashed files (kaifang-web-<hash>.js, …_bg.wasm, the scan worker's, the
//   other modules' under /modules/<name>/):
//   cache first — a name never changes content; the newest 16 are kept.
// - Pages, the catalog's metadata and search index (/catalog/*.json, index shards): network
//   first, the saved copy when the network fails. An online visit therefore always gets the
//   current pages, which name the current app files: a new build takes effect on the next
//   visit, and a stale app is never served while the network answers.
// - Data files (/catalog/files/…, whole or byte ranges): the network; when it fails, the copy
//   the app keeps of a favourite's file (src/offline/files.rs, only within the space the
//   person agreed to on "my data"), a range cut from it. This worker never stores files.
// - The intake (/api/…) goes to the network untouched (the app keeps filings' last state).
// - The browser fetches this file itself past its HTTP cache on every visit (registration's
//   default updateViaCache 'imports'): a changed file is installed, takes over at once
//   (skipWaiting, clients.claim) and a changed VERSION drops the old caches.
const VERSION = 'kaifang-1';
const SHELL = VERSION + '-shell';
const PAGES = VERSION + '-pages';
// Written by the app, not by this worker, and kept across worker versions: the person chose
// these files. The same name as FILES_CACHE in src/offline/files.rs.
const FILES = 'kaifang-files-1';
const MAX_SHELL = 16;
const MAX_PAGES = 400;

self.addEventListener('install', (event) => {
  // The front page and the catalog summary, so the app opens offline even before a visit.
  event.waitUntil(caches.open(PAGES).then((c) => c.addAll(['/', '/catalog/catalog.json'])).catch(() => {}));
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const k of await caches.keys()) if (k !== SHELL && k !== PAGES && k !== FILES) await caches.delete(k);
    await self.clients.claim();
  })());
});

// At the root (the home module) or under /modules/<name>/ (each kind of page's module).
// Trunk's hash is a u64 in hex without leading zeros: 16 digits, or a few fewer. A module's
// split parts are in a folder named by the build (snippets/split-<16 hex>/, src/lazy.rs).
const HASHED = /^\/(modules\/[a-z]+\/)?([^/]+-[0-9a-f]{13,16}(_bg)?|snippets\/split-[0-9a-f]{16}\/[^/]+)\.(js|wasm)$/;

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/catalog/files/')) {
    event.respondWith(fileOrKeptCopy(req, url));
    return;
  }
  if (url.pathname.startsWith('/api/') || req.headers.has('range')) return;
  if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(req));
  } else {
    event.respondWith(networkFirst(req, url));
  }
});

async function cacheFirst(req) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) await keep(cache, req, res.clone(), MAX_SHELL);
  return res;
}

/** A page's key: its path without a trailing slash (and without the query: a search's
 *  address offline opens the front page, whose app runs the search from saved shards). */
function pageKey(req, url) {
  if (req.mode !== 'navigate') return req;
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : '/';
  return new Request(url.origin + path);
}

async function networkFirst(req, url) {
  const cache = await caches.open(PAGES);
  const key = pageKey(req, url);
  try {
    const res = await fetch(req);
    if (res.ok && res.type === 'basic') await keep(cache, key, res.clone(), MAX_PAGES);
    return res;
  } catch (e) {
    const hit = (await cache.match(key)) || (req.mode === 'navigate' ? await cache.match(url.origin + '/') : undefined);
    if (hit) return hit;
    throw e;
  }
}

async function keep(cache, key, res, max) {
  await cache.put(key, res);
  const keys = await cache.keys();
  for (let i = 0; i < keys.length - max; i++) await cache.delete(keys[i]);
}

/** A data file from the network; offline, the kept copy (a range of it if one was asked). */
async function fileOrKeptCopy(req, url) {
  try {
    return await fetch(req);
  } catch (e) {
    // Copies are kept under the file's address with its hash as the query.
    const copy = await (await caches.open(FILES)).match(url.origin + url.pathname, { ignoreSearch: true });
    if (!copy) throw e;
    const range = req.headers.get('range');
    return range ? cut(copy, range) : copy;
  }
}

/** The 206 a server would send for `bytes=a-b` or `bytes=a-` of the kept copy. */
async function cut(copy, range) {
  const blob = await copy.blob();
  const type = copy.headers.get('content-type') || 'application/octet-stream';
  const m = /^bytes=(\d+)-(\d*)$/.exec(range.trim());
  if (!m) return new Response(blob, { status: 200, headers: { 'Content-Type': type } });
  const start = Number(m[1]);
  const end = m[2] === '' ? blob.size - 1 : Math.min(Number(m[2]), blob.size - 1);
  if (start >= blob.size || end < start) {
    return new Response('', { status: 416, headers: { 'Content-Range': `bytes */${blob.size}` } });
  }
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      'Content-Type': type,
      'Content-Range': `bytes ${start}-${end}/${blob.size}`,
      'Content-Length': String(end - start + 1),
    },
  });
}
