// What the app's first module holds (issue 13: "measure what the wasm holds"): function body
// bytes by crate, from the code and name sections of the wasm cargo wrote before wasm-bindgen
// and wasm-opt (those keep the proportions, not the exact sizes). Like `twiggy top`, grouped.
// Usage: node bench/wasm-breakdown.mjs target/wasm32-unknown-unknown/release/kaifang-web.wasm
import { readFileSync } from 'node:fs';

const bytes = readFileSync(process.argv[2]);
let pos = 8;
const leb = () => { let r = 0, s = 0, b; do { b = bytes[pos++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
let imported = 0;
const bodies = [];
const names = new Map();
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = leb();
  const end = pos + size;
  if (id === 2) { // imports: functions among them take the first indices
    for (let n = leb(); n > 0; n--) {
      pos += leb(); pos += leb();
      const kind = bytes[pos++];
      if (kind === 0) { leb(); imported++; } else if (kind === 1) { pos++; const f = bytes[pos++]; leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = bytes[pos++]; leb(); if (f & 1) leb(); } else if (kind === 3) { pos += 2; }
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) { const s = leb(); bodies.push(s); pos += s; }
  } else if (id === 0) {
    const nameLen = leb();
    const name = bytes.subarray(pos, pos + nameLen).toString(); pos += nameLen;
    if (name === 'name') {
      while (pos < end) {
        const sub = bytes[pos++]; const subSize = leb(); const subEnd = pos + subSize;
        if (sub === 1) for (let n = leb(); n > 0; n--) { const i = leb(); const l = leb(); names.set(i, bytes.subarray(pos, pos + l).toString()); pos += l; }
        pos = subEnd;
      }
    }
  }
  pos = end;
}
/** The crate a (legacy- or v0-mangled, or plain) symbol belongs to. */
function crateOf(sym) {
  let m = /^_ZN(\d+)/.exec(sym);
  if (m) { let s = sym.slice(3 + m[1].length, 3 + m[1].length + Number(m[1])); return s.replace(/^_</, '<').replace(/\$LT\$|\$u20\$/g, ''); }
  m = /^_R.*?C(?:s[0-9a-zA-Z_]*_)?(\d+)([A-Za-z_][A-Za-z0-9_]*)/.exec(sym);
  if (m) return m[2].slice(0, Number(m[1]));
  m = /<?([a-z_][a-z0-9_]*)::/.exec(sym);
  return m ? m[1] : '(other)';
}
const byCrate = new Map();
const fns = [];
bodies.forEach((s, i) => {
  const sym = names.get(imported + i) ?? '';
  let c = crateOf(sym);
  if (c.startsWith('<')) c = (/<([a-z_][a-z0-9_]*)/.exec(c) ?? [, '(generic)'])[1];
  byCrate.set(c, (byCrate.get(c) ?? 0) + s);
  fns.push([s, sym]);
});
const total = bodies.reduce((a, b) => a + b, 0);
console.log(`${bytes.length} bytes, ${bodies.length} functions, ${total} bytes of code`);
console.log('\ncode by crate:');
for (const [c, s] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${String(s).padStart(9)}  ${(100 * s / total).toFixed(1).padStart(5)} %  ${c}`);
}
console.log('\nlargest functions:');
for (const [s, sym] of fns.sort((a, b) => b[0] - a[0]).slice(0, 15)) console.log(`${String(s).padStart(9)}  ${sym.slice(0, 110)}`);
