import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { assertEquals, assertThrows, assertTrue } from "./_assert.ts";
import { NONE, OrderBook, type Side } from "../lib/book/mod.ts";
import { ConfigError } from "../lib/errors.ts";
import {
  depthProfile,
  DUMMY_ASK,
  DUMMY_BID,
  findSamples,
  formatTime,
  loadDepthProfile,
  loadSample,
  LobsterFormatError,
  maybeGunzip,
  parseMessages,
  parseOrderbook,
  readMessages,
  replay,
  type ReplayReport,
  saveDepthProfile,
  tickRange,
} from "../lib/lobster/mod.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const msgs = (lines: string[], file = "m.csv") =>
  parseMessages(enc(lines.join("\n") + "\n"), { file });
const book = (lines: string[], file = "o.csv") =>
  parseOrderbook(enc(lines.join("\n") + "\n"), { file });
const DATA = fileURLToPath(new URL("../data/lobster/", import.meta.url));

// ---------------------------------------------------------------- reader

Deno.test("reader: message rows into typed columns, times exact to the nanosecond", () => {
  const m = msgs([
    "34200.015105074,4,15818974,4,5794000,1",
    "34200.05990197,1,7,300,5794100,-1",
    "34201,7,0,0,-1,-1",
    "57599.999999999,5,0,1,5795050,1",
  ]);
  assertEquals(m.count, 4);
  assertTrue(m.timeNs instanceof Float64Array && m.type instanceof Uint8Array);
  assertTrue(m.size instanceof Int32Array && m.direction instanceof Int8Array);
  assertEquals(Array.from(m.timeNs), [
    34_200_015_105_074,
    34_200_059_901_970,
    34_201_000_000_000,
    57_599_999_999_999,
  ]);
  assertEquals(formatTime(m.timeNs[1]), "34200.059901970");
  assertEquals(formatTime(m.timeNs[3]), "57599.999999999");
  assertEquals(Array.from(m.type), [4, 1, 7, 5]);
  assertEquals(Array.from(m.orderId), [15818974, 7, 0, 0]);
  assertEquals(Array.from(m.size), [4, 300, 0, 1]);
  assertEquals(Array.from(m.price), [5794000, 5794100, -1, 5795050]);
  assertEquals(Array.from(m.direction), [1, -1, -1, 1]);
});

Deno.test("reader: no trailing newline and CRLF line ends are accepted", () => {
  const a = parseMessages(enc("1.5,1,2,3,400,1\r\n2,3,2,3,400,1"));
  assertEquals(a.count, 2);
  assertEquals(Array.from(a.timeNs), [1_500_000_000, 2_000_000_000]);
  assertEquals(parseMessages(enc("")).count, 0);
});

Deno.test("reader: orderbook rows with dummy levels", () => {
  const ob = book([
    "5802300,100,5794000,496,9999999999,0,5787000,400",
    "9999999999,0,-9999999999,0,9999999999,0,-9999999999,0",
  ]);
  assertEquals(ob.levels, 2);
  assertEquals(ob.count, 2);
  assertEquals(Array.from(ob.askPrice), [5802300, DUMMY_ASK, DUMMY_ASK, DUMMY_ASK]);
  assertEquals(Array.from(ob.askSize), [100, 0, 0, 0]);
  assertEquals(Array.from(ob.bidPrice), [5794000, 5787000, DUMMY_BID, DUMMY_BID]);
  assertEquals(Array.from(ob.bidSize), [496, 400, 0, 0]);
  assertTrue(ob.askPrice instanceof Float64Array && ob.bidSize instanceof Int32Array);
});

/** Parses `lines` and returns the error, checking that it names the file and the line. */
function formatError(parse: () => unknown, line: number, includes: string): LobsterFormatError {
  const e = assertThrows(parse, LobsterFormatError, includes) as LobsterFormatError;
  assertTrue(e instanceof ConfigError, "a LobsterFormatError is a ConfigError");
  assertEquals(e.line, line);
  assertTrue(e.message.startsWith(`${e.file}:${line} `), e.message);
  return e;
}

Deno.test("reader: malformed message lines name the file, the line and the fault", () => {
  const ok = "34200.1,1,5,100,5794000,1";
  const cases: [string, string][] = [
    ["34200.2,1,5,100,5794000", "columns: must be 6 comma-separated values, got 5"],
    ["34200.2,1,5,100,5794000,1,9", "columns: must be 6 comma-separated values, got 7"],
    [
      "34200.2,1,5,1.5,5794000,1",
      'column 4 (size): must be an integer of at most 15 digits, got "1.5"',
    ],
    ["34200.2,1,x5,100,5794000,1", "column 3 (order id): must be an integer"],
    ["34200.2,1,5,100,,1", 'column 5 (price): must be an integer of at most 15 digits, got ""'],
    [
      "34200.2,8,5,100,5794000,1",
      "column 2 (event type): must be one of 1, 2, 3, 4, 5, 6, 7, got 8",
    ],
    ["34200.2,0,5,100,5794000,1", "column 2 (event type)"],
    ["34200.2,1,5,100,5794000,0", "column 6 (direction): must be 1 (buy) or -1 (sell), got 0"],
    ["34200.2,1,5,100,5794000,2", "column 6 (direction)"],
    [
      "34200.2,1,5,-100,5794000,1",
      "column 4 (size): must be an integer in [0, 2147483647], got -100",
    ],
    [
      "34200.1234567891,1,5,100,5794000,1",
      "column 1 (time): must be seconds with up to 9 decimals",
    ],
    ["-34200.2,1,5,100,5794000,1", "column 1 (time)"],
    ["34200.,1,5,100,5794000,1", "column 1 (time)"],
    ["", 'columns: must be 6 comma-separated integers, got "an empty line"'],
  ];
  for (const [bad, what] of cases) {
    const e = formatError(() => msgs([ok, ok, bad, ok], "bad_message_1.csv"), 3, what);
    assertEquals(e.file, "bad_message_1.csv");
  }
});

Deno.test("reader: malformed orderbook lines name the file, the line and the fault", () => {
  const ok = "5802300,100,5794000,496,5802400,10,5787000,400";
  const cases: [string, string][] = [
    [
      "5802300,100,5794000,496,5802400,10,5787000",
      "columns: must be 8 comma-separated values, got 7",
    ],
    [
      "5802300,100,5794000,496,9999999999,5,5787000,400",
      "column 6 (ask size 2): must be 0 on an empty",
    ],
    [
      "5802300,100,-9999999999,0,5802400,10,5787000,400",
      "column 7 (bid price 2): must be -9999999999",
    ],
    [
      "5802300,100,5794000,496,5802300,10,5787000,400",
      "column 5 (ask price 2): must be above level 1's",
    ],
    [
      "5802300,100,5794000,496,5802400,10,5794100,400",
      "column 7 (bid price 2): must be below level 1's",
    ],
    [
      "5802300,0,5794000,496,5802400,10,5787000,400",
      "column 2 (ask size 1): must be an integer in [1,",
    ],
    ["5802300,100,5794000,496,5802400,10,5787000,4e2", "column 8 (bid size 2): must be an integer"],
    [
      "-5802300,100,5794000,496,5802400,10,5787000,400",
      "column 1 (ask price 1): must be a positive",
    ],
  ];
  for (const [bad, what] of cases) formatError(() => book([ok, ok, bad], "ob.csv"), 3, what);
  formatError(() => book(["1,2,3"], "ob.csv"), 1, "columns: must be a positive multiple of 4");
});

Deno.test("reader: gzip files are gunzipped; errors name the file", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const text = "1.0,1,5,100,100000,1\n2.0,3,5,100,100000,1\n";
    Deno.writeFileSync(`${dir}/X_2012-06-21_0_1_message_1.csv.gz`, gzipSync(enc(text)));
    Deno.writeFileSync(
      `${dir}/X_2012-06-21_0_1_orderbook_1.csv.gz`,
      gzipSync(enc("100100,5,100000,100\n100100,5,-9999999999,0\n")),
    );
    const m = readMessages(`${dir}/X_2012-06-21_0_1_message_1.csv.gz`);
    assertEquals(m.file, "X_2012-06-21_0_1_message_1.csv.gz");
    assertEquals(Array.from(m.type), [1, 3]);
    assertEquals(maybeGunzip(enc("plain")), enc("plain"));
    const found = findSamples(dir);
    assertEquals(found.map((f) => [f.ticker, f.date, f.levels]), [["X", "2012-06-21", 1]]);
    const s = loadSample(found[0]);
    assertEquals(s.orderbook.count, 2);
    Deno.writeFileSync(`${dir}/bad.csv.gz`, gzipSync(enc("1.0,1,5,100,100000,1\n2.0,9,5\n")));
    formatError(() => readMessages(`${dir}/bad.csv.gz`), 2, "bad.csv.gz:2 columns");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------- replay, hand-made

// Two levels per side. Prices are dollars × 10000; the engine works in cents.
//   row 0: asks 10.01×50 10.02×40 | bids 10.00×30 9.99×20 (message 0 is folded into row 0)
const SMALL_MESSAGES = [
  "1.0,1,100,30,100000,1", // 0: order 100 bids 30 at 10.00 (seeded as pre-window quantity)
  "2.0,1,1,10,100000,1", // 1: order 1 bids 10 at 10.00
  "3.0,1,2,5,100100,-1", // 2: order 2 offers 5 at 10.01
  "4.0,2,2,2,100100,-1", // 3: order 2 cancels 2
  "5.0,4,100,30,100000,1", // 4: sell hits order 100 (pre-window: checked by size)
  "6.0,4,1,10,100000,1", // 5: sell hits order 1; 10.00 empties and 9.97×15 is revealed
  "7.0,3,200,15,99700,1", // 6: unknown order 200 deleted: the bid side has one level left
  "8.0,4,300,50,100100,-1", // 7: a buy sweeps 10.01 (unknown 50, then order 2's 3) ...
  "8.0,4,2,3,100100,-1", // 8:
  "8.0,5,0,7,100150,-1", // 9: ... a hidden execution in between (ignored) ...
  "8.0,4,400,10,100200,-1", // 10: ... and 10 at 10.02; 10.05×7 is revealed on row 8
  "9.0,7,0,0,-1,-1", // 11: trading halt: nothing changes
  "10.0,1,5,4,100300,-1", // 12: order 5 offers 4 at 10.03: 10.05 leaves the window
];
const SMALL_BOOK = [
  "100100,50,100000,30,100200,40,99900,20",
  "100100,50,100000,40,100200,40,99900,20",
  "100100,55,100000,40,100200,40,99900,20",
  "100100,53,100000,40,100200,40,99900,20",
  "100100,53,100000,10,100200,40,99900,20",
  "100100,53,99900,20,100200,40,99700,15",
  "100100,53,99900,20,100200,40,-9999999999,0",
  "100100,3,99900,20,100200,40,-9999999999,0",
  "100200,40,99900,20,100500,7,-9999999999,0",
  "100200,40,99900,20,100500,7,-9999999999,0",
  "100200,30,99900,20,100500,7,-9999999999,0",
  "100200,30,99900,20,100500,7,-9999999999,0",
  "100200,30,99900,20,100300,4,-9999999999,0",
];

function smallReplay(
  bookRows = SMALL_BOOK,
  messages = SMALL_MESSAGES,
  options: {
    checkMatching?: boolean;
    makeBook?: (o: { minTick: number; maxTick: number }) => OrderBook;
  } = {},
): ReplayReport {
  return replay({ messages: msgs(messages), orderbook: book(bookRows), ...options });
}

Deno.test("replay: hand-made sample with a reveal replays exactly", () => {
  for (const checkMatching of [true, false]) {
    const r = smallReplay(SMALL_BOOK, SMALL_MESSAGES, { checkMatching });
    assertEquals([r.rows, r.matched, r.messages], [12, 12, 12]);
    assertEquals(r.firstMismatch, null);
    assertEquals([r.anomalies, r.realShrunk], [0, 0]);
    assertEquals(
      r.revealed,
      2,
      "9.97×15 on row 5 and 10.05×7 on row 8 came from beyond the window",
    );
    assertEquals(r.dropped, 0);
    assertEquals([r.minTick, r.maxTick], [0, 1005 + 1000], "cents 997 to 1005, margin 1000");
  }
});

Deno.test("replay: compare: false replays the same book without comparing rows", () => {
  const full = smallReplay();
  const bare = replay({
    messages: msgs(SMALL_MESSAGES),
    orderbook: book(SMALL_BOOK),
    compare: false,
  });
  assertEquals([bare.rows, bare.matched, bare.messages], [0, 0, full.messages]);
  const { rows: _r, matched: _m, ...rest } = full;
  const { rows: _r2, matched: _m2, ...restBare } = bare;
  assertEquals(restBare, rest);
  assertThrows(
    () =>
      replay({ messages: msgs(SMALL_MESSAGES), orderbook: book(SMALL_BOOK), compare: 0 as never }),
    ConfigError,
    "compare: must be true or false",
  );
});

Deno.test("replay: a level that leaves the window forgets its orders' ids", () => {
  // One level. Order 1 joins 10.02; a better ask pushes 10.02 out of the window, where order 1
  // is cancelled and unseen orders 7 (5 shares) and 8 arrive; back in view, both are named.
  const messages = [
    "1.0,1,9,30,99900,1",
    "2.0,1,1,10,100200,-1",
    "3.0,1,2,5,100100,-1",
    "4.0,3,2,5,100100,-1",
    "5.0,3,7,5,100200,-1",
    "6.0,4,8,50,100200,-1",
  ];
  const rows = [
    "100200,50,99900,30",
    "100200,60,99900,30",
    "100100,5,99900,30",
    "100200,55,99900,30",
    "100200,50,99900,30",
    "9999999999,0,99900,30",
  ];
  const r = replay({ messages: msgs(messages), orderbook: book(rows) });
  assertEquals([r.rows, r.matched, r.anomalies, r.merged, r.revealed], [5, 5, 0, 1, 1]);
  const m = r.matching!;
  assertEquals([m.runs, m.matched, m.byId, m.bySize], [1, 1, 0, 1]);
});

Deno.test("replay: a row that disagrees inside the window is the first mismatch", () => {
  const rows = SMALL_BOOK.slice();
  rows[3] = "100100,54,100000,40,100200,40,99900,20"; // the cancel removed 2, not 1
  const r = smallReplay(rows);
  assertEquals(r.matched, 11);
  const f = r.firstMismatch!;
  assertEquals(f.row, 3);
  assertEquals(f.message.type, 2);
  assertEquals(f.message.orderId, 2);
  assertEquals(f.message.time, "4.000000000");
  assertEquals(f.expected.ask, [[100100, 54], [100200, 40]]);
  assertEquals(f.got.ask, [[100100, 53], [100200, 40]]);
  assertEquals(f.got.bid, f.expected.bid);
});

Deno.test("replay: a missing level is reported with dummies", () => {
  const rows = SMALL_BOOK.slice();
  rows[6] = "100100,53,99900,20,100200,40,99700,15"; // claims order 200 is still there
  const r = smallReplay(rows);
  const f = r.firstMismatch!;
  assertEquals(f.row, 6);
  assertEquals(f.got.bid, [[99900, 20], [DUMMY_BID, 0]]);
  assertEquals(f.expected.bid, [[99900, 20], [99700, 15]]);
});

Deno.test("replay: matching check rebuilds aggressors from runs of executions", () => {
  const r = smallReplay();
  assertEquals(r.matching, {
    runs: 3, // messages 4, 5 and 7-10
    matched: 3,
    multiFill: 1,
    multiLevel: 1,
    executions: 5,
    byId: 2, // orders 1 and 2
    bySize: 3, // orders 100, 300, 400: pre-window quantity
    hiddenInRuns: 1,
    engine: 0,
    state: 0,
    notFifo: 0,
    mismatches: [],
  });
  assertEquals(smallReplay(SMALL_BOOK, SMALL_MESSAGES, { checkMatching: false }).matching, null);
});

Deno.test("replay: executions listed out of time priority are flagged as data, not engine", () => {
  // Orders 1 then 2 bid at 10.00 behind 30 pre-window shares; the messages execute all 30, then
  // order 2 before order 1 in one run.
  const messages = [
    "1.0,1,100,30,100000,1",
    "2.0,1,1,10,100000,1",
    "3.0,1,2,10,100000,1",
    "4.0,4,100,30,100000,1",
    "4.0,4,2,10,100000,1",
    "4.0,4,1,5,100000,1",
    "5.0,3,1,5,100000,1",
  ];
  const rows = [
    "100100,50,100000,30",
    "100100,50,100000,40",
    "100100,50,100000,50",
    "100100,50,100000,20",
    "100100,50,100000,10",
    "100100,50,100000,5",
    "100100,50,-9999999999,0",
  ];
  const r = replay({ messages: msgs(messages), orderbook: book(rows) });
  assertEquals([r.rows, r.matched, r.anomalies], [6, 6, 0], "the book follows the messages");
  const m = r.matching!;
  assertEquals([m.runs, m.matched, m.engine, m.state, m.notFifo], [1, 0, 0, 0, 1]);
  const mm = m.mismatches[0];
  assertEquals(mm.kind, "notFifo");
  assertEquals(mm.aggressor, { side: "sell", price: 100000, size: 45 });
  assertEquals(mm.expected, [
    { orderId: null, price: 100000, size: 30 },
    { orderId: 2, price: 100000, size: 10 },
    { orderId: 1, price: 100000, size: 5 },
  ]);
  assertEquals(mm.got, [
    { orderId: null, price: 100000, size: 30 },
    { orderId: 1, price: 100000, size: 10 },
    { orderId: 2, price: 100000, size: 5 },
  ]);
  assertTrue(
    mm.why.includes("executes order 2") && mm.why.includes("10 shares of order 1"),
    mm.why,
  );
});

Deno.test("replay: an execution the replayed book cannot hold is a replay-state mismatch", () => {
  // Order 1 is the only order at 9.99; the messages execute an unknown order 77 there.
  const messages = [
    "1.0,1,5,30,100000,1",
    "2.0,1,1,10,99900,1",
    "3.0,3,5,30,100000,1",
    "4.0,4,77,10,99900,1",
  ];
  const rows = [
    "100100,50,100000,30,100200,5,-9999999999,0",
    "100100,50,100000,30,100200,5,99900,10",
    "100100,50,99900,10,100200,5,-9999999999,0",
    "100100,50,-9999999999,0,100200,5,-9999999999,0",
  ];
  const r = replay({ messages: msgs(messages), orderbook: book(rows) });
  const m = r.matching!;
  assertEquals([m.runs, m.matched, m.engine, m.state, m.notFifo], [1, 0, 0, 1, 0]);
  assertEquals(m.mismatches[0].kind, "state");
  assertEquals(m.mismatches[0].expected, [{ orderId: null, price: 99900, size: 10 }]);
  assertEquals(m.mismatches[0].got, [{ orderId: 1, price: 99900, size: 10 }]);
  // Applied as listed, the execution finds no quantity for order 77: an anomaly and a mismatch.
  assertEquals(r.anomalies, 1);
  assertEquals(r.firstAnomaly!.message.index, 3);
  assertEquals(r.firstMismatch!.row, 3);
});

/** An engine whose IOC never leaves the best level: a matching bug the check must catch. */
class OneLevelIoc extends OrderBook {
  override ioc(side: Side, price: number, qty: number, owner: number): number {
    const best = this.best((1 - side) as Side);
    return super.ioc(side, best === NONE ? price : best, qty, owner);
  }
}

Deno.test("replay: an engine that matches wrongly fails the matching check, rows stay exact", () => {
  const r = smallReplay(SMALL_BOOK, SMALL_MESSAGES, { makeBook: (o) => new OneLevelIoc(o) });
  assertEquals([r.rows, r.matched, r.anomalies], [12, 12, 0], "the run is undone and replayed");
  const m = r.matching!;
  assertEquals([m.runs, m.matched, m.engine, m.state, m.notFifo], [3, 2, 1, 0, 0]);
  assertEquals(m.mismatches[0].kind, "engine");
  assertEquals(m.mismatches[0].message.index, 7);
  assertEquals(m.mismatches[0].got, [
    { orderId: null, price: 100100, size: 50 },
    { orderId: 2, price: 100100, size: 3 },
  ]);
});

Deno.test("replay: bad inputs are ConfigErrors naming the file and row", () => {
  assertThrows(
    () => replay({ messages: msgs(SMALL_MESSAGES.slice(0, 3)), orderbook: book(SMALL_BOOK) }),
    ConfigError,
    "o.csv: rows: must be as many rows as m.csv (3), got 13",
  );
  const offCent = SMALL_MESSAGES.slice();
  offCent[2] = "3.0,1,2,5,100150,-1";
  assertThrows(() => smallReplay(SMALL_BOOK, offCent), ConfigError, "m.csv:3 column 5 (price)");
  assertThrows(
    () =>
      tickRange({ messages: msgs(SMALL_MESSAGES), orderbook: book(SMALL_BOOK), marginTicks: -1 }),
    ConfigError,
    "marginTicks",
  );
});

// ---------------------------------------------------------------- depth profile

Deno.test("depth profile: means by distance over the rows where the distance is shown", () => {
  const ob = book([
    "100100,100,100000,7,100300,50,99900,1",
    "100100,300,100000,9,100200,10,-9999999999,0",
  ]);
  const p = depthProfile(ob, { distances: 4, ticker: "T", date: "2012-06-21" });
  assertEquals(p.ask.meanSize, [200, 5, 50, null]);
  assertEquals(p.ask.coverage, [1, 1, 0.5, 0]);
  // Row 2's bid side has one level of two: nothing is hidden, every distance is shown.
  assertEquals(p.bid.meanSize, [8, 0.5, 0, 0]);
  assertEquals(p.bid.coverage, [1, 1, 0.5, 0.5]);
  assertEquals([p.rows, p.levels, p.tickSize, p.distances], [2, 2, 100, 4]);

  const dir = Deno.makeTempDirSync();
  try {
    saveDepthProfile(`${dir}/p.json`, p);
    assertEquals(loadDepthProfile(`${dir}/p.json`), JSON.parse(JSON.stringify(p)));
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["p.json"], "no temporary left");
    Deno.writeTextFileSync(`${dir}/bad.json`, '{"distances": 2}');
    assertThrows(() => loadDepthProfile(`${dir}/bad.json`), ConfigError, "bad.json");
    Deno.writeTextFileSync(`${dir}/bad.json`, "{");
    assertThrows(() => loadDepthProfile(`${dir}/bad.json`), ConfigError, "a JSON depth profile");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  assertThrows(() => depthProfile(ob, { distances: 0 }), ConfigError, "distances");
});

// ---------------------------------------------------------------- the real samples

Deno.test("data: the copied samples match SHA256SUMS", () => {
  const sums = Deno.readTextFileSync(`${DATA}SHA256SUMS`).trim().split("\n");
  assertEquals(sums.length, 5);
  for (const line of sums) {
    const [sum, name] = line.split(/\s+/);
    const path = name.endsWith(".csv") ? `${DATA}${name}.gz` : `${DATA}${name}`;
    const bytes = maybeGunzip(Deno.readFileSync(path));
    assertEquals(createHash("sha256").update(bytes).digest("hex"), sum, name);
  }
});

Deno.test("data: both LOBSTER samples replay 100% exactly and pass the matching check", () => {
  const samples = findSamples(DATA);
  assertEquals(samples.map((s) => `${s.ticker} L${s.levels}`), ["AMZN L1", "GOOG L10"]);
  // Runs whose listed order breaks price-time priority over the replayed queues (see
  // data/lobster/README.md): an order executed while quantity that rested earlier at the same
  // price stays ahead of it. No price-time engine can match those; the check proves it per run.
  const expected: Record<string, [number, number, number, number]> = {
    // rows, runs, runs matched, runs out of time priority in the data
    AMZN: [57_514, 6_591, 6_583, 8],
    GOOG: [147_915, 5_930, 5_927, 3],
  };
  for (const files of samples) {
    const s = loadSample(files);
    const r = replay({ messages: s.messages, orderbook: s.orderbook });
    const [rows, runs, matched, notFifo] = expected[files.ticker];
    assertEquals(r.rows, rows);
    assertEquals(r.matched, rows, `${files.ticker}: ${JSON.stringify(r.firstMismatch)}`);
    assertEquals(r.firstMismatch, null);
    assertEquals(r.anomalies, 0, JSON.stringify(r.firstAnomaly));
    assertEquals(r.realShrunk, 0);
    const m = r.matching!;
    const bad = m.mismatches.filter((x) => x.kind !== "notFifo");
    assertEquals([m.engine, m.state], [0, 0], JSON.stringify(bad));
    assertEquals([m.runs, m.matched, m.notFifo], [runs, matched, notFifo]);
    assertEquals(m.executions, s.messages.type.subarray(1).filter((t) => t === 4).length);
    assertTrue(m.mismatches.every((x) => x.kind === "notFifo"));
    assertTrue(m.multiLevel > 200 && m.byId > 4000, "sweeps and identified orders are checked");

    // The stored depth profile is the one the sample gives.
    const stored = loadDepthProfile(`${DATA}depth_profile_${files.ticker}.json`);
    const fresh = depthProfile(s.orderbook, { ticker: files.ticker, date: files.date });
    assertEquals(stored, JSON.parse(JSON.stringify(fresh)));
  }
});
