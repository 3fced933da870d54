// Draws the app's icons from simple shapes, antialiased by supersampling: the tab bar icons
// (81×81 PNG, as WeChat asks: PNG/JPG, ≤ 40 KB, no SVG) and one white-on-colour set for the
// feature entries (used as CSS backgrounds, which both builds inline as data URIs).
// Run: node scripts/tab-icons.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

let SIZE = 81;
const SS = 4;
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(alpha, [r, g, b]) {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0;
    for (let x = 0; x < SIZE; x++) {
      const o = y * (SIZE * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = Math.round(alpha[y * SIZE + x] * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
function render(inside) {
  const alpha = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      let hits = 0;
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++)
          if (inside(((x + (sx + 0.5) / SS) / SIZE) * 24, ((y + (sy + 0.5) / SS) / SIZE) * 24)) hits++;
      alpha[y * SIZE + x] = hits / (SS * SS);
    }
  return alpha;
}
// Shapes on a 24×24 grid.
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r, w) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - w;
};
const tri = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const s = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by),
    d2 = s(bx, by, cx, cy),
    d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};
const union =
  (...fs) =>
  (x, y) =>
    fs.some((f) => f(x, y));
const minus = (a, b) => (x, y) => a(x, y) && !b(x, y);

const ICONS = {
  // a house: roof and body with a door
  home: union(
    tri(12, 2.5, 1.5, 11.5, 22.5, 11.5),
    minus(rect(4.5, 10, 19.5, 21.5), rect(10, 14.5, 14, 21.6)),
  ),
  // a document with lines: 办事 (guides and matters)
  catalogue: minus(
    rect(4.5, 2.5, 19.5, 21.5),
    union(rect(7.5, 6.5, 16.5, 8.3), rect(7.5, 11, 16.5, 12.8), rect(7.5, 15.5, 13, 17.3)),
  ),
  // a person: head and shoulders
  me: union(circle(12, 7.5, 4.6), minus(circle(12, 23.5, 9.5), rect(0, 21.6, 24, 24)), ring(12, 7.5, 4.6, 0)),
};
const ring2 = (cx, cy, r, w) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - w;
};
const line = (ax, ay, bx, by, w) => (x, y) => {
  const t = Math.max(
    0,
    Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
  );
  return Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)) <= w / 2;
};
const star = (cx, cy, R, r) => {
  const pts = Array.from({ length: 10 }, (_, i) => {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const k = i % 2 ? r : R;
    return [cx + k * Math.cos(a), cy + k * Math.sin(a)];
  });
  return (x, y) => {
    let inside = false;
    for (let i = 0, j = 9; i < 10; j = i++) {
      const [xi, yi] = pts[i],
        [xj, yj] = pts[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
};
const FEATURES = {
  booking: union(
    minus(rect(3, 5, 21, 21), rect(5, 10, 19, 19)),
    rect(6.5, 2.5, 8.5, 7),
    rect(15.5, 2.5, 17.5, 7),
    rect(7, 12, 10, 14.5),
    rect(14, 12, 17, 14.5),
    rect(7, 15.5, 10, 18),
  ),
  queue: union(
    minus(rect(3, 5, 21, 19), union(circle(3, 12, 2.2), circle(21, 12, 2.2), rect(8.2, 8, 8.9, 16))),
  ),
  progress: union(ring2(10, 10, 7, 2.2), line(15, 15, 21, 21, 2.8)),
  correction: union(
    minus(rect(4, 2.5, 20, 21.5), rect(6, 4.5, 18, 19.5)),
    tri(12, 7, 7.5, 12, 16.5, 12),
    rect(10.8, 11, 13.2, 17),
  ),
  rating: star(12, 12.5, 10, 4.3),
  halls: union(minus(union(circle(12, 9.5, 7), tri(5.8, 12.5, 18.2, 12.5, 12, 22.5)), circle(12, 9.5, 2.8))),
  messages: union(
    minus(rect(2.5, 5, 21.5, 19), rect(4.5, 7, 19.5, 17)),
    line(3.5, 6, 12, 13, 2),
    line(20.5, 6, 12, 13, 2),
  ),
  guide: union(
    minus(rect(3, 3, 21, 21), rect(5, 5, 19, 19)),
    rect(7.5, 8, 16.5, 9.8),
    rect(7.5, 11.5, 16.5, 13.3),
    rect(7.5, 15, 13, 16.8),
  ),
};
const out = new URL('../src/assets/tab/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const [name, shape] of Object.entries(ICONS)) {
  const alpha = render(shape);
  writeFileSync(new URL(`${name}.png`, out), png(alpha, [0x4b, 0x55, 0x63]));
  writeFileSync(new URL(`${name}-active.png`, out), png(alpha, [0x1d, 0x4e, 0xd8]));
}
SIZE = 72;
const features = new URL('../src/assets/icons/', import.meta.url);
mkdirSync(features, { recursive: true });
for (const [name, shape] of Object.entries(FEATURES))
  writeFileSync(new URL(`${name}.png`, features), png(render(shape), [0xff, 0xff, 0xff]));
console.log('icons written to src/assets/tab and src/assets/icons');
