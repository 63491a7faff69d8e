/**
 * The matrix product behind every layer of `nn.ts` (private to `lib/agents/`):
 * `C (=|+=) A·Bᵀ (+ bias)`, each operand optionally read transposed, in float64.
 *
 * It runs in a small WebAssembly module assembled below, byte by byte (there is no WebAssembly
 * toolchain in this project, and the kernel is twenty instructions): 2×2 output blocks, each a pair
 * of `f64x2` dot products over rows padded to an even length. The operands are copied into the
 * module's memory (transposed on the way where asked, zero-padded to even sizes) and the result
 * copied back; the copies are O(m·k + n·k + m·n) against O(m·n·k) for the product. On the
 * machine this was written on, the kernel ran at about 15 GFLOP/s against 2.5–3 for the best
 * plain-JavaScript blocking (2×2, kept below as the fallback, for a runtime without WebAssembly
 * SIMD). Results are deterministic: WebAssembly's float64 lanes are IEEE-754 with a fixed order
 * of operations (each lane sums every other product, then the lanes are added), the same on every
 * machine; they differ from the plain-JavaScript kernel's only by rounding.
 *
 * @module
 */

/** Operands of {@linkcode gemm}. */
export interface Gemm {
  /** Left operand: `m × k` row-major from `aOff`, or `k × m` if `aT`. */
  readonly a: Float64Array;
  readonly aOff?: number;
  readonly aT?: boolean;
  /** Right operand: `n × k` row-major from `bOff` (so `C = A·Bᵀ`), or `k × n` if `bT`. */
  readonly b: Float64Array;
  readonly bOff?: number;
  readonly bT?: boolean;
  /** Output `m × n`, row-major from `cOff`. */
  readonly c: Float64Array;
  readonly cOff?: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** A bias `bias[biasOff + j]` added to every output row. */
  readonly bias?: Float64Array;
  readonly biasOff?: number;
  /** Add into `c` instead of overwriting it. */
  readonly accumulate?: boolean;
}

/** Which kernel {@linkcode gemm} uses: `"wasm-simd"`, or `"js"` where WebAssembly SIMD is missing. */
export let GEMM_BACKEND: "wasm-simd" | "js" = "js";

// ------------------------------------------------------------------------ the WebAssembly kernel

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/**
 * The module: imports `env.mem`, exports `gemm(a, b, c, m, n, k)` with byte offsets, computing
 * `c[i][j] = Σ_p a[i][p]·b[j][p]` for even `m, n, k ≥ 2` (row strides `8k` bytes for `a` and `b`,
 * `8n` for `c`).
 */
function kernelBytes(): Uint8Array<ArrayBuffer> {
  const str = (s: string) => [...leb(s.length), ...new TextEncoder().encode(s)];
  const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
  const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
  const I32 = 0x7f, V128 = 0x7b;
  // Locals: parameters 0–5, then i32s and v128s.
  const [A, B, C, M, N, , I, J, P, A0, A1, B0, B1, ROW, CP, S00, S01, S10, S11, X0, X1, Y0, Y1] = [
    ...Array(23).keys(),
  ];
  const K = 5;
  const get = (l: number) => [0x20, ...leb(l)];
  const set = (l: number) => [0x21, ...leb(l)];
  const tee = (l: number) => [0x22, ...leb(l)];
  const i32 = (v: number) => [0x41, ...sleb(v)];
  const add = 0x6a, mul = 0x6c, shl = 0x74, ltU = 0x49;
  const simd = (op: number) => [0xfd, ...leb(op)];
  const load = (base: number) => [...get(base), ...get(P), add, ...simd(0), 0x03, 0x00];
  const zero = [...simd(12), ...new Array(16).fill(0)];
  const acc = (s: number, x: number, y: number) => [
    ...get(s),
    ...get(x),
    ...get(y),
    ...simd(242), // f64x2.mul
    ...simd(240), // f64x2.add
    ...set(s),
  ];
  // lane 0 + lane 1 (f64x2.extract_lane, f64.add)
  const hsum = (s: number) => [...get(s), ...simd(33), 0, ...get(s), ...simd(33), 1, 0xa0];
  const store = (off: number) => [0x39, 0x03, ...leb(off)]; // f64.store
  const loopEnd = (v: number, step: number, limit: number[]) => [
    ...get(v),
    ...i32(step),
    add,
    ...tee(v),
    ...limit,
    ltU,
    0x0d,
    0x00, // br_if 0
    0x0b, // end loop
  ];
  const body = [
    ...get(K),
    ...i32(3),
    shl,
    ...set(ROW), // row bytes = 8k
    ...i32(0),
    ...set(I),
    0x03,
    0x40, // loop over row pairs of a
    ...get(A),
    ...get(I),
    ...get(ROW),
    mul,
    add,
    ...set(A0),
    ...get(A0),
    ...get(ROW),
    add,
    ...set(A1),
    ...i32(0),
    ...set(J),
    0x03,
    0x40, // loop over row pairs of b
    ...get(B),
    ...get(J),
    ...get(ROW),
    mul,
    add,
    ...set(B0),
    ...get(B0),
    ...get(ROW),
    add,
    ...set(B1),
    ...zero,
    ...set(S00),
    ...zero,
    ...set(S01),
    ...zero,
    ...set(S10),
    ...zero,
    ...set(S11),
    ...i32(0),
    ...set(P),
    0x03,
    0x40, // loop over k, two at a time
    ...load(A0),
    ...set(X0),
    ...load(A1),
    ...set(X1),
    ...load(B0),
    ...set(Y0),
    ...load(B1),
    ...set(Y1),
    ...acc(S00, X0, Y0),
    ...acc(S01, X0, Y1),
    ...acc(S10, X1, Y0),
    ...acc(S11, X1, Y1),
    ...loopEnd(P, 16, get(ROW)),
    // cp = c + 8 (i·n + j)
    ...get(C),
    ...get(I),
    ...get(N),
    mul,
    ...get(J),
    add,
    ...i32(3),
    shl,
    add,
    ...set(CP),
    ...get(CP),
    ...hsum(S00),
    ...store(0),
    ...get(CP),
    ...hsum(S01),
    ...store(8),
    ...get(CP),
    ...get(N),
    ...i32(3),
    shl,
    add,
    ...set(CP),
    ...get(CP),
    ...hsum(S10),
    ...store(0),
    ...get(CP),
    ...hsum(S11),
    ...store(8),
    ...loopEnd(J, 2, get(N)),
    ...loopEnd(I, 2, get(M)),
    0x0b, // end function
  ];
  const code = [...vec([[...leb(9), I32], [...leb(8), V128]]), ...body];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0x00]])),
    ...section(2, vec([[...str("env"), ...str("mem"), 0x02, 0x00, ...leb(1)]])),
    ...section(3, vec([[0x00]])),
    ...section(7, vec([[...str("gemm"), 0x00, 0x00]])),
    ...section(10, vec([[...leb(code.length), ...code]])),
  ]);
}

const PAGE = 65_536;
let memory: WebAssembly.Memory | null = null;
let heap: Float64Array = new Float64Array(0);
type Kernel = (a: number, b: number, c: number, m: number, n: number, k: number) => void;
let kernel: Kernel | null = null;

try {
  const bytes = kernelBytes();
  if (typeof WebAssembly === "object" && WebAssembly.validate(bytes)) {
    memory = new WebAssembly.Memory({ initial: 16 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: { mem: memory },
    });
    kernel = instance.exports.gemm as unknown as Kernel;
    heap = new Float64Array(memory.buffer);
    GEMM_BACKEND = "wasm-simd";
  }
} catch {
  kernel = null;
}

/** Makes the module's memory hold at least `doubles` float64s. */
function reserve(doubles: number): void {
  if (heap.length >= doubles) return;
  const pages = Math.ceil((doubles * 8 - memory!.buffer.byteLength) / PAGE);
  memory!.grow(Math.max(pages, memory!.buffer.byteLength / PAGE)); // at least double
  heap = new Float64Array(memory!.buffer);
}

/** Copies operand `x` as a `rows × cols` matrix (transposed source if `t`) into `heap` at `to`, row stride `stride`, zero-padded. */
function copyIn(
  x: Float64Array,
  o: {
    off: number;
    t: boolean;
    rows: number;
    cols: number;
    to: number;
    stride: number;
    padRows: number;
  },
): void {
  const { off, t, rows, cols, to, stride, padRows } = o;
  const h = heap;
  if (t) {
    // x is cols × rows: element (r, q) at off + q·rows + r.
    for (let q = 0; q < cols; q++) {
      const src = off + q * rows;
      for (let r = 0; r < rows; r++) h[to + r * stride + q] = x[src + r];
    }
  } else {
    for (let r = 0; r < rows; r++) {
      const src = off + r * cols, dst = to + r * stride;
      for (let q = 0; q < cols; q++) h[dst + q] = x[src + q];
    }
  }
  if (stride > cols) { for (let r = 0; r < rows; r++) h[to + r * stride + cols] = 0; }
  if (padRows > rows) h.fill(0, to + rows * stride, to + padRows * stride);
}

/** `C (=|+=) A·Bᵀ (+ bias)` (see {@linkcode Gemm}). */
export function gemm(g: Gemm): void {
  if (kernel === null) return gemmJs(g);
  const { m, n, k } = g;
  if (m === 0 || n === 0) return;
  const M = m + (m & 1), N = n + (n & 1), K = Math.max(2, k + (k & 1));
  const aAt = 0, bAt = M * K, cAt = bAt + N * K;
  reserve(cAt + M * N);
  copyIn(g.a, {
    off: g.aOff ?? 0,
    t: g.aT ?? false,
    rows: m,
    cols: k,
    to: aAt,
    stride: K,
    padRows: M,
  });
  copyIn(g.b, {
    off: g.bOff ?? 0,
    t: g.bT ?? false,
    rows: n,
    cols: k,
    to: bAt,
    stride: K,
    padRows: N,
  });
  kernel(8 * aAt, 8 * bAt, 8 * cAt, M, N, K);
  const h = heap, c = g.c, cOff = g.cOff ?? 0, acc = g.accumulate ?? false;
  const bias = g.bias, bo = g.biasOff ?? 0;
  for (let i = 0; i < m; i++) {
    const src = cAt + i * N, dst = cOff + i * n;
    if (acc) { for (let j = 0; j < n; j++) c[dst + j] += h[src + j]; }
    else if (bias) { for (let j = 0; j < n; j++) c[dst + j] = h[src + j] + bias[bo + j]; }
    else for (let j = 0; j < n; j++) c[dst + j] = h[src + j];
  }
}

// ------------------------------------------------------------------------ the JavaScript kernel

let scratchA = new Float64Array(0);
let scratchB = new Float64Array(0);

/** Row-major `rows × cols` copy of `x` (transposed if `t`) into a scratch array. */
function rowsOf(
  x: Float64Array,
  o: { off: number; t: boolean; rows: number; cols: number },
  which: 0 | 1,
) {
  const { off, t, rows, cols } = o;
  if (!t) return { arr: x, off };
  let s = which === 0 ? scratchA : scratchB;
  if (s.length < rows * cols) {
    s = new Float64Array(rows * cols);
    if (which === 0) scratchA = s;
    else scratchB = s;
  }
  for (let q = 0; q < cols; q++) {
    for (let r = 0; r < rows; r++) s[r * cols + q] = x[off + q * rows + r];
  }
  return { arr: s, off: 0 };
}

/** The plain-JavaScript kernel: 2×2 blocks of dot products over contiguous rows. */
export function gemmJs(g: Gemm): void {
  const { m, n, k, c } = g;
  const A = rowsOf(g.a, { off: g.aOff ?? 0, t: g.aT ?? false, rows: m, cols: k }, 0);
  const Bm = rowsOf(g.b, { off: g.bOff ?? 0, t: g.bT ?? false, rows: n, cols: k }, 1);
  const a = A.arr, aOff = A.off, b = Bm.arr, bOff = Bm.off;
  const cOff = g.cOff ?? 0, acc = g.accumulate ?? false;
  const bias = g.bias, bo = g.biasOff ?? 0;
  const put = (i: number, j: number, s: number) => {
    const at = cOff + i * n + j;
    if (acc) c[at] += s;
    else c[at] = bias ? s + bias[bo + j] : s;
  };
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = aOff + i * k, a1 = a0 + k;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = bOff + j * k, b1 = b0 + k;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p], x1 = a[a1 + p], y0 = b[b0 + p], y1 = b[b1 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      put(i, j, s00);
      put(i, j + 1, s01);
      put(i + 1, j, s10);
      put(i + 1, j + 1, s11);
    }
    for (; j < n; j++) {
      const b0 = bOff + j * k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        s0 += a[a0 + p] * b[b0 + p];
        s1 += a[a1 + p] * b[b0 + p];
      }
      put(i, j, s0);
      put(i + 1, j, s1);
    }
  }
  for (; i < m; i++) {
    const a0 = aOff + i * k;
    for (let j = 0; j < n; j++) {
      const b0 = bOff + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[a0 + p] * b[b0 + p];
      put(i, j, s);
    }
  }
}
