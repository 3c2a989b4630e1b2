// Writes a deterministic CSV of at least the given size (default 100 MB) with Chinese text,
// quoted fields (commas, doubled quotes, newlines) and typed columns, for the table
// benchmarks until the sample portal ships its own large file.
//   node tests/e2e/bench/make-large-csv.mjs OUT.csv [MEGABYTES]
import { createWriteStream } from 'node:fs';

const out = process.argv[2];
const megabytes = Number(process.argv[3] ?? 100);
if (!out || !(megabytes > 0)) {
  console.error('usage: make-large-csv.mjs OUT.csv [MEGABYTES]');
  process.exit(2);
}
const target = megabytes * 1_000_000;

let seed = 0x2545f491;
function rand() {
  // xorshift32: same file on every machine.
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 0x100000000;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const districts = ['东城区', '西城区', '朝阳区', '海淀区', '丰台区', '石景山区', '门头沟区', '房山区', '通州区', '顺义区', '昌平区', '大兴区'];
const kinds = ['公交站', '地铁站', '医院', '学校', '公园', '图书馆', '体育馆', '派出所'];
const notes = ['', '', '正常运营', '临时调整', '含"无障碍"设施', '周末开放, 节假日除外', '施工中\n请绕行', '新增'];

const ws = createWriteStream(out);
ws.write('编号,日期,区县,名称,类别,数值,计数,启用,备注\n');
let written = 0;
let id = 0;
let buf = [];
function quote(s) {
  return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
while (written < target) {
  id += 1;
  const d = new Date(Date.UTC(2020, 0, 1) + Math.floor(rand() * 2000) * 86400000).toISOString().slice(0, 10);
  const district = pick(districts);
  const kind = pick(kinds);
  const name = `${district}${kind}${id % 997}号`;
  const value = (rand() * 1000).toFixed(2);
  const count = Math.floor(rand() * 100000);
  const on = rand() < 0.8 ? 'true' : 'false';
  const line = `${id},${d},${district},${name},${kind},${value},${count},${on},${quote(pick(notes))}\n`;
  buf.push(line);
  written += Buffer.byteLength(line);
  if (buf.length >= 10000) {
    if (!ws.write(buf.join(''))) await new Promise((r) => ws.once('drain', r));
    buf = [];
  }
}
ws.write(buf.join(''));
ws.end(() => console.log(JSON.stringify({ file: out, bytes: written, rows: id })));
