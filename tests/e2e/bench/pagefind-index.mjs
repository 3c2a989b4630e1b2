// Pagefind indexing the same records Kaifang searches (used by bench/search.mjs; also
// runnable alone to rebuild only Pagefind's side):
//
//   node bench/pagefind-index.mjs CATALOG_DIR OUT_DIR
//
// Each dataset record becomes one Pagefind custom record: the text Kaifang indexes (title,
// English title, keywords, domain, department, region, description, field labels) as
// content, the same facets as filters, tagged `zh` so Pagefind's extended indexer segments
// the Chinese into words.

import fs from 'node:fs';
import path from 'node:path';

/** Builds a Pagefind bundle at `${out}/pagefind` (+ a search page at `${out}/index.html`). */
export async function buildPagefind(cat, out) {
  const { createIndex, close } = await import('pagefind');
  fs.rmSync(out, { recursive: true, force: true });
  const ids = fs.readdirSync(path.join(cat, 'datasets')).filter((f) => f.endsWith('.json'));
  const { index, errors } = await createIndex({ forceLanguage: 'zh' });
  if (!index) throw new Error(`pagefind: ${errors}`);
  for (let i = 0; i < ids.length; i += 500) {
    const added = await Promise.all(ids.slice(i, i + 500).map((f) => {
      const d = JSON.parse(fs.readFileSync(path.join(cat, 'datasets', f), 'utf8'));
      const content = [d.title, d.title_en, (d.keywords || []).join(' '), d.theme, d.publisher.name, d.region.name,
        d.description, (d.fields || []).map((x) => x.label).join(' ')].filter(Boolean).join('\n');
      return index.addCustomRecord({
        url: `/datasets/${d.id}`, content, language: 'zh',
        meta: { title: d.title, theme: d.theme, publisher: d.publisher.name, status: d.status || 'open', modified: d.modified },
        filters: {
          theme: [d.theme], dept: [d.publisher.id], open: [d.open.kind], region: [d.region.name], level: [d.region.level],
          freq: [d.accrual_periodicity], status: [d.status || 'open'], format: [...new Set((d.distributions || []).map((x) => x.format))],
        },
        sort: { modified: d.modified, title: d.title },
      });
    }));
    const failed = added.find((r) => r.errors && r.errors.length);
    if (failed) throw new Error(`pagefind addCustomRecord: ${failed.errors.join('; ')}`);
  }
  const written = await index.writeFiles({ outputPath: path.join(out, 'pagefind') });
  if (written.errors && written.errors.length) throw new Error(`pagefind writeFiles: ${written.errors.join('; ')}`);
  await close();
  fs.writeFileSync(path.join(out, 'index.html'), SEARCH_PAGE);
  return ids.length;
}

// The page the bench drives: Pagefind's own API, the first 20 results' titles in the DOM.
const SEARCH_PAGE = `<!doctype html><meta charset="utf-8"><title>pagefind</title>
<input id="q"><ul id="results"></ul>
<script type="module">
  const pf = await import('/pagefind/pagefind.js');
  await pf.options({});
  await pf.init();
  window.pfSearch = async (q) => {
    const t0 = performance.now();
    const s = await pf.search(q);
    const data = await Promise.all(s.results.slice(0, 20).map((r) => r.data()));
    const ul = document.getElementById('results');
    ul.replaceChildren(...data.map((d) => { const li = document.createElement('li'); li.textContent = d.meta.title; return li; }));
    return { ms: performance.now() - t0, total: s.results.length, first: data.map((d) => d.meta.title).slice(0, 3) };
  };
  window.pfReady = true;
</script>`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cat, out] = process.argv.slice(2);
  if (!cat || !out) { console.error('usage: node bench/pagefind-index.mjs CATALOG_DIR OUT_DIR'); process.exit(2); }
  const t = performance.now();
  const n = await buildPagefind(path.resolve(cat), path.resolve(out));
  console.log(`pagefind: ${n} records in ${((performance.now() - t) / 1000).toFixed(1)} s → ${out}`);
}
