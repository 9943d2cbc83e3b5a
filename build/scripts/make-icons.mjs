#!/usr/bin/env node
// `node build/scripts/make-icons.mjs [folder]`: draws the app icon and the tray icons from
// shapes, so they can be regenerated at any size and never drift from this description.
// electron-builder derives the .icns and .ico from build/icon.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

export const TRAY_STATES = ['ok', 'expiring', 'action-needed'];

// Signed distances in units of the icon's size (0..1); negative inside.
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const box =
  (x0, y0, x1, y1, radius = 0) =>
  (x, y) => {
    const hx = (x1 - x0) / 2 - radius;
    const hy = (y1 - y0) / 2 - radius;
    const dx = Math.abs(x - (x0 + x1) / 2) - hx;
    const dy = Math.abs(y - (y0 + y1) / 2) - hy;
    return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - radius;
  };
const union =
  (...shapes) =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));
const minus = (a, b) => (x, y) => Math.max(a(x, y), -b(x, y));
const ring = (cx, cy, r, width) => minus(circle(cx, cy, r), circle(cx, cy, r - width));

/** The key: a round bow with a hole, a shaft and two teeth, pointing right. */
function key(scale = 1, dx = 0, dy = 0) {
  const t = (v, o) => o + (v - 0.5) * scale + 0.5;
  const X = (v) => t(v, dx);
  const Y = (v) => t(v, dy);
  const s = (v) => v * scale;
  return minus(
    union(
      circle(X(0.32), Y(0.5), s(0.19)),
      box(X(0.44), Y(0.455), X(0.86), Y(0.545), s(0.02)),
      box(X(0.7), Y(0.5), X(0.77), Y(0.68), s(0.015)),
      box(X(0.79), Y(0.5), X(0.86), Y(0.63), s(0.015)),
    ),
    circle(X(0.3), Y(0.5), s(0.075)),
  );
}

const BADGE = { cx: 0.76, cy: 0.76, r: 0.22 };

/**
 * Draws layers of [shape, colour] into RGBA, 4×4 samples per pixel for smooth edges. A colour is
 * [r, g, b, a], [r, g, b, a, 'erase'] (cuts the layers below), or a function of the pixel's centre.
 */
function paint(size, layers) {
  const rgba = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const [shape, paintColor] of layers) {
        const color =
          typeof paintColor === 'function'
            ? paintColor((px + 0.5) / size, (py + 0.5) / size)
            : paintColor;
        // Distances here never overstate, so a pixel centre further than half a diagonal from
        // the edge is wholly inside or outside: only pixels on an edge are sampled.
        const centre = shape((px + 0.5) / size, (py + 0.5) / size);
        let hits = centre < -0.75 / size ? n * n : 0;
        if (Math.abs(centre) <= 0.75 / size)
          for (let sy = 0; sy < n; sy++)
            for (let sx = 0; sx < n; sx++)
              if (shape((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size) <= 0) hits++;
        const cover = (hits / (n * n)) * (color[3] / 255);
        if (color[4] === 'erase') {
          a *= 1 - cover;
          continue;
        }
        const out = cover + a * (1 - cover);
        if (out > 0) {
          r = (color[0] * cover + r * a * (1 - cover)) / out;
          g = (color[1] * cover + g * a * (1 - cover)) / out;
          b = (color[2] * cover + b * a * (1 - cover)) / out;
        }
        a = out;
      }
      const i = (py * size + px) * 4;
      rgba.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], i);
    }
  return { width: size, height: size, rgba };
}

const TEAL = [13, 115, 119, 255];
/** The app tile: the tray's teal, a shade lighter at the top-left. */
const TEAL_GRADIENT = (x, y) => {
  const t = Math.min(Math.max((x + y) / 2, 0), 1);
  return [18 + (8 - 18) * t, 138 + (96 - 138) * t, 142 + (100 - 142) * t, 255].map(Math.round);
};
const WHITE = [255, 255, 255, 255];
const BLACK = [0, 0, 0, 255];
const AMBER = [245, 158, 11, 255];
const RED = [220, 38, 38, 255];
const ERASE = [0, 0, 0, 255, 'erase'];

function appIcon(size) {
  return paint(size, [
    [box(0.06, 0.06, 0.94, 0.94, 0.2), TEAL_GRADIENT],
    [key(0.82, 0.012, 0.018), [4, 60, 62, 110]],
    [key(0.82), WHITE],
  ]);
}

/** Coloured: the app's tile (reads on light and dark bars), a coloured badge when needed. */
function colouredTray(state, size) {
  const layers = [
    [box(0.02, 0.02, 0.98, 0.98, 0.22), TEAL],
    [key(0.86), WHITE],
  ];
  if (state !== 'ok') {
    const { cx, cy, r } = BADGE;
    layers.push([circle(cx, cy, r + 0.05), ERASE]);
    layers.push([circle(cx, cy, r), state === 'expiring' ? AMBER : RED]);
    layers.push([state === 'expiring' ? clockHands(cx, cy, 0.85) : exclamation(cx, cy), WHITE]);
  }
  return paint(size, layers);
}

/** Two hands at ten past twelve: "time is running out". */
const clockHands = (cx, cy, s) =>
  union(
    box(cx - 0.03 * s, cy - 0.15 * s, cx + 0.03 * s, cy + 0.03 * s, 0.02 * s),
    box(cx - 0.03 * s, cy - 0.03 * s, cx + 0.13 * s, cy + 0.03 * s, 0.02 * s),
  );
const exclamation = (cx, cy) =>
  union(box(cx - 0.035, cy - 0.14, cx + 0.035, cy + 0.03, 0.02), circle(cx, cy + 0.1, 0.04));

/**
 * macOS template: black and alpha only, so the state is a shape: no badge, a ring (expiring), or
 * a filled dot with an exclamation cut out (action needed).
 */
function templateTray(state, size) {
  const layers = [[key(1.05, 0, -0.02), BLACK]];
  if (state !== 'ok') {
    const [cx, cy, r] = [0.74, 0.74, 0.24];
    layers.push([circle(cx, cy, r + 0.07), ERASE]);
    if (state === 'expiring') layers.push([ring(cx, cy, r, 0.08), BLACK]);
    else {
      layers.push([circle(cx, cy, r), BLACK]);
      layers.push([exclamation(cx, cy), ERASE]);
    }
  }
  return paint(size, layers);
}

/** Every image, by file name relative to the output folder. */
export function renderIcons() {
  const images = { 'icon.png': appIcon(1024) };
  for (const state of TRAY_STATES) {
    images[`tray/${state}.png`] = colouredTray(state, 32);
    images[`tray/${state}@2x.png`] = colouredTray(state, 64);
    images[`tray/${state}Template.png`] = templateTray(state, 16);
    images[`tray/${state}Template@2x.png`] = templateTray(state, 32);
  }
  return images;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA, 8 bits per channel, no filtering: small images, simple and exact. */
export function encodePng({ width, height, rgba }) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++)
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? fileURLToPath(new URL('../', import.meta.url));
  for (const [name, image] of Object.entries(renderIcons())) {
    mkdirSync(join(out, name, '..'), { recursive: true });
    writeFileSync(join(out, name), encodePng(image));
    process.stdout.write(`wrote ${join(out, name)}\n`);
  }
}
