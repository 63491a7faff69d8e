/**
 * A minimal 2D canvas for jsdom, enough for Observable Plot's continuous colour legends
 * (`fillStyle` + `fillRect`) and raster marks (`createImageData` + `putImageData`), with
 * `toDataURL()` encoding a PNG. jsdom has no canvas of its own. `fillRect` replaces pixels
 * (no alpha compositing); colours are parsed from `#rgb`, `#rrggbb`, `rgb()` and `rgba()`, the
 * forms d3's interpolators and Plot's schemes produce; anything else paints opaque black.
 *
 * @module
 */
import { deflateSync } from "node:zlib";

interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

interface ImageDataLike {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

interface CanvasLike {
  width: number;
  height: number;
}

const pixelsOf = new WeakMap<CanvasLike, Pixels>();

function pixels(canvas: CanvasLike): Pixels {
  const w = Math.max(0, Math.floor(canvas.width));
  const h = Math.max(0, Math.floor(canvas.height));
  let p = pixelsOf.get(canvas);
  if (!p || p.width !== w || p.height !== h) {
    p = { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) };
    pixelsOf.set(canvas, p);
  }
  return p;
}

/** Parses a CSS colour into RGBA bytes (see the module doc for the supported forms). */
export function parseColor(s: string): [number, number, number, number] {
  const t = s.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(t);
  if (m) {
    const [r, g, b] = [...m[1]].map((c) => parseInt(c + c, 16));
    return [r, g, b, 255];
  }
  m = /^#([0-9a-f]{6})$/.exec(t);
  if (m) {
    const v = parseInt(m[1], 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255, 255];
  }
  m = /^rgba?\(([^)]*)\)$/.exec(t);
  if (m) {
    const parts = m[1].split(/[\s,/]+/).filter((x) => x !== "").map(Number);
    const a = parts.length > 3 ? Math.round(parts[3] * 255) : 255;
    return [parts[0] | 0, parts[1] | 0, parts[2] | 0, a];
  }
  if (t === "white") return [255, 255, 255, 255];
  if (t === "transparent" || t === "none") return [0, 0, 0, 0];
  return [0, 0, 0, 255];
}

class Context2D {
  #canvas: CanvasLike;
  #fill: [number, number, number, number] = [0, 0, 0, 255];
  #fillStyle = "#000000";
  constructor(canvas: CanvasLike) {
    this.#canvas = canvas;
  }
  get fillStyle(): string {
    return this.#fillStyle;
  }
  set fillStyle(v: string) {
    this.#fillStyle = String(v);
    this.#fill = parseColor(this.#fillStyle);
  }
  fillRect(x: number, y: number, w: number, h: number): void {
    const p = pixels(this.#canvas);
    const x0 = Math.max(0, Math.round(x)), x1 = Math.min(p.width, Math.round(x + w));
    const y0 = Math.max(0, Math.round(y)), y1 = Math.min(p.height, Math.round(y + h));
    for (let j = y0; j < y1; j++) {
      for (let i = x0; i < x1; i++) p.data.set(this.#fill, (j * p.width + i) * 4);
    }
  }
  createImageData(w: number, h: number): ImageDataLike {
    return { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) };
  }
  getImageData(x: number, y: number, w: number, h: number): ImageDataLike {
    const p = pixels(this.#canvas);
    const out = this.createImageData(w, h);
    for (let j = 0; j < h; j++) {
      for (let i = 0; i < w; i++) {
        const si = ((y + j) * p.width + (x + i)) * 4;
        if (x + i < 0 || x + i >= p.width || y + j < 0 || y + j >= p.height) continue;
        out.data.set(p.data.subarray(si, si + 4), (j * w + i) * 4);
      }
    }
    return out;
  }
  putImageData(img: ImageDataLike, dx: number, dy: number): void {
    const p = pixels(this.#canvas);
    for (let j = 0; j < img.height; j++) {
      const y = dy + j;
      if (y < 0 || y >= p.height) continue;
      for (let i = 0; i < img.width; i++) {
        const x = dx + i;
        if (x < 0 || x >= p.width) continue;
        const si = (j * img.width + i) * 4;
        p.data.set(img.data.subarray(si, si + 4), (y * p.width + x) * 4);
      }
    }
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  dv.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/** Encodes RGBA pixels as a PNG (8-bit, colour type 6, no filtering). */
export function encodePng(width: number, height: number, rgba: Uint8ClampedArray): Uint8Array {
  const raw = new Uint8Array(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", new Uint8Array(deflateSync(raw, { level: 9 }))),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Bytes as base64 (in chunks, so large images do not overflow the argument list). */
export function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/** Gives jsdom's `HTMLCanvasElement` the 2D context and `toDataURL` described above. */
export function installCanvas(window: { HTMLCanvasElement: { prototype: object } }): void {
  const proto = window.HTMLCanvasElement.prototype as Record<string, unknown>;
  proto.getContext = function (this: CanvasLike, kind: string) {
    return kind === "2d" ? new Context2D(this) : null;
  };
  proto.toDataURL = function (this: CanvasLike) {
    const p = pixels(this);
    return `data:image/png;base64,${base64(encodePng(p.width, p.height, p.data))}`;
  };
}
