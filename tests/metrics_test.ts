/**
 * Tests of `lib/metrics/`: every figure below is computed by hand in the comment beside it.
 */
import { near, throwsConfig } from "./_assert.ts";
import { strict as assert } from "node:assert";
import {
  BUY,
  createFillLog,
  fillLogOf,
  fillRate,
  finalPnl,
  inventoryVariance,
  markouts,
  maxDrawdown,
  meanAbsInventory,
  meanCI,
  pnlSeries,
  SELL,
  sharpe,
  spreadCapture,
  studentTQuantile,
} from "../lib/metrics/mod.ts";

Deno.test("pnlSeries marks inventory at the mark price; finalPnl is its last value", () => {
  // step 1: buy 1 at 100 (cash -100), mark 100.5 -> 0.5; step 2: mark 99 -> -1;
  // step 3: sell 1 at 102 (cash 2, flat) -> 2; step 4: flat -> 2
  const inputs = {
    cash: [0, -100, -100, 2, 2],
    inventory: Int32Array.of(0, 1, 1, 0, 0),
    mark: Float64Array.of(100, 100.5, 99, 101, 101),
  };
  assert.deepEqual(Array.from(pnlSeries(inputs)), [0, 0.5, -1, 2, 2]);
  assert.equal(finalPnl(inputs), 2);
  // short 2 at a mark of 50 with 120 cash: 120 - 100
  assert.equal(finalPnl({ cash: [120], inventory: [-2], mark: [50] }), 20);
  assert.equal(finalPnl({ cash: [], inventory: [], mark: [] }), 0);
  throwsConfig(() => pnlSeries({ cash: [0, 1], inventory: [0, 1], mark: [1] }), "mark.length");
  assert.throws(
    () => finalPnl({ cash: [0, 1], inventory: [0], mark: [1, 1] }),
    /inventory\.length: must be 2 \(the length of cash\), got 1/,
  );
});

Deno.test("sharpe is mean/sd of per-step changes, sample sd, no annualising", () => {
  // changes 1, 3, 0: mean 4/3, squared deviations 1/9 + 25/9 + 16/9 = 42/9, var 7/3;
  // Sharpe = (4/3) / sqrt(7/3) = 4 / sqrt(21)
  near(sharpe([0, 1, 4, 4]), 4 / Math.sqrt(21), 1e-12);
  near(sharpe(Float64Array.of(0, 1, 4, 4)), 0.8728716, 1e-7);
  // the level of the path does not matter, the scale of the changes cancels
  near(sharpe([10, 11, 14, 14]), 4 / Math.sqrt(21), 1e-12);
  near(sharpe([0, 2, 8, 8]), 4 / Math.sqrt(21), 1e-12);
  // losses give a negative ratio
  near(sharpe([0, -1, -4, -4]), -4 / Math.sqrt(21), 1e-12);
});

Deno.test("sharpe handles sd = 0 and too-short paths", () => {
  assert.equal(sharpe([5, 5, 5, 5]), 0); // never traded
  assert.equal(sharpe([0, 0.1, 0.2, 0.3, 0.4]), Infinity); // riskless gain (rounding ignored)
  assert.equal(sharpe([3, 2, 1, 0]), -Infinity);
  assert.ok(Number.isNaN(sharpe([0, 1]))); // one change: no sd
  assert.ok(Number.isNaN(sharpe([])));
});

Deno.test("maxDrawdown is the largest absolute fall from a running peak", () => {
  // peaks 2 (fall to -1: 3), 3 (fall to 1: 2), 4 (fall to 0.5: 3.5)
  assert.equal(maxDrawdown([0, 2, -1, 3, 1, 4, 0.5]), 3.5);
  assert.equal(maxDrawdown(Float64Array.of(0, -5)), 5);
  assert.equal(maxDrawdown([0, 1, 1, 2]), 0);
  assert.equal(maxDrawdown([]), 0);
  // a fall that is never recovered counts from the peak before it
  assert.equal(maxDrawdown([1, 5, 4, 3, 2]), 3);
});

Deno.test("inventoryVariance (divisor n) and meanAbsInventory", () => {
  // mean 1, deviations 0, -2, 2, 0: sum of squares 8, over 4 steps
  assert.equal(inventoryVariance([1, -1, 3, 1]), 2);
  assert.equal(inventoryVariance(Int32Array.of(4, 4, 4)), 0);
  // |1| + |-1| + |3| + |1| = 6, over 4
  assert.equal(meanAbsInventory(Int32Array.of(1, -1, 3, 1)), 1.5);
  assert.ok(Number.isNaN(meanAbsInventory([])));
});

Deno.test("fillRate: filled/quoted quantity and fills per order", () => {
  const fills = fillLogOf({
    step: [0, 1, 1],
    side: [BUY, SELL, SELL],
    price: [9, 11, 11],
    qty: [2, 1, 1],
  });
  // 4 filled of 10 quoted; 3 fills over 6 orders
  const r = fillRate({ fills, quotedQty: 10, ordersPlaced: 6 });
  assert.equal(r.byQty, 0.4);
  assert.equal(r.fillsPerOrder, 0.5);
  const none = fillRate({ fills: createFillLog(4), quotedQty: 0, ordersPlaced: 0 });
  assert.ok(Number.isNaN(none.byQty) && Number.isNaN(none.fillsPerOrder));
  throwsConfig(() => fillRate({ fills, quotedQty: -1, ordersPlaced: 6 }), "quotedQty");
  throwsConfig(() => fillRate({ fills, quotedQty: 10, ordersPlaced: 1.5 }), "ordersPlaced");
});

Deno.test("fill logs are validated: side ±1, qty > 0, n within capacity", () => {
  throwsConfig(
    () => fillLogOf({ step: [0], side: [0], price: [1], qty: [1] }),
    "fills.side[0]",
  );
  throwsConfig(
    () => fillLogOf({ step: [0, 1], side: [1, 1], price: [1, 1], qty: [1, 0] }),
    "fills.qty[1]",
  );
  throwsConfig(
    () => fillLogOf({ step: [0, 1], side: [1], price: [1, 1], qty: [1, 1] }),
    "side.length",
  );
  const log = createFillLog(2);
  log.n = 3;
  throwsConfig(() => fillRate({ fills: log, quotedQty: 1, ordersPlaced: 1 }), "fills.n");
  throwsConfig(() => createFillLog(-1), "capacity");
});

Deno.test("spreadCapture: signed distance from the mid at fill time, ticks per unit", () => {
  // prices in dollars, tick 0.01. Buy 2 at 99.99 under a mid of 100.00: +1 tick each;
  // sell 1 at 100.05 over a mid of 100.02: +3; sell 1 at 99.97 under a mid of 99.98: -1.
  // total 2 + 3 - 1 = 4 tick-units over 4 units
  const fills = fillLogOf({
    step: [0, 1, 2],
    side: [BUY, SELL, SELL],
    price: [99.99, 100.05, 99.97],
    qty: [2, 1, 1],
  });
  const c = spreadCapture({ fills, mid: [100, 100.02, 99.98], tickSize: 0.01 });
  near(c.total, 4, 1e-9);
  near(c.perUnit, 1, 1e-9);
  assert.equal(c.qty, 4);
  // integer ticks, only the first n entries of a preallocated log count
  const log = createFillLog(10);
  log.step[0] = 1;
  log.side[0] = SELL;
  log.price[0] = 103;
  log.qty[0] = 5;
  log.n = 1;
  const d = spreadCapture({ fills: log, mid: Int32Array.of(100, 101) });
  assert.deepEqual(d, { perUnit: 2, total: 10, qty: 5 });
  assert.ok(Number.isNaN(spreadCapture({ fills: createFillLog(0), mid: [1] }).perUnit));
  throwsConfig(() => spreadCapture({ fills: log, mid: [100] }), "fills.step[0]");
  throwsConfig(() => spreadCapture({ fills: log, mid: [100, 101], tickSize: 0 }), "tickSize");
});

Deno.test("markouts: mid move signed against the maker, per horizon", () => {
  const mid = [100, 101, 99, 98, 102];
  // fill a: buy 1 at step 0; fill b: sell 2 at step 1; fill c: buy 1 at step 3
  const fills = fillLogOf({
    step: [0, 1, 3],
    side: [BUY, SELL, BUY],
    price: [99, 102, 97],
    qty: [1, 2, 1],
  });
  const m = markouts({ fills, mid, horizons: [1, 2, 4] });
  assert.deepEqual(Array.from(m.horizons), [1, 2, 4]);
  // h=1: a +1 (101-100), b +2 (-(99-101)), c +4 (102-98): (1 + 2*2 + 4) / 4 units
  near(m.mean[0], 9 / 4, 1e-12);
  assert.equal(m.adverseRate[0], 0);
  assert.equal(m.count[0], 3);
  // h=2: a -1 (99-100, adverse), b +3 (-(98-101)), c beyond the series: (-1 + 2*3) / 3
  near(m.mean[1], 5 / 3, 1e-12);
  assert.equal(m.adverseRate[1], 0.5);
  assert.deepEqual([m.zeroRate[1], m.favourableRate[1]], [0, 0.5]);
  assert.equal(m.count[1], 2);
  // h=4: only a, +2 (102-100)
  assert.equal(m.mean[2], 2);
  assert.equal(m.adverseRate[2], 0);
  assert.equal(m.count[2], 1);
});

Deno.test("markouts: sells before a rise are adverse; ticks; empty horizons; bad input", () => {
  // sell at step 0, mid 10.00 -> 10.05 (5 ticks of 0.01 against the maker); buy at step 1,
  // mid flat: 0 is not adverse
  const fills = fillLogOf({ step: [0, 1], side: [SELL, BUY], price: [10.01, 10.04], qty: [1, 1] });
  const m = markouts({ fills, mid: [10, 10.05, 10.05], horizons: [1, 5], tickSize: 0.01 });
  near(m.mean[0], -2.5, 1e-9);
  assert.equal(m.adverseRate[0], 0.5);
  // the flat markout is counted apart: neither adverse nor favourable
  assert.deepEqual([m.zeroRate[0], m.favourableRate[0]], [0.5, 0]);
  assert.ok(Number.isNaN(m.mean[1]) && Number.isNaN(m.adverseRate[1]));
  assert.ok(Number.isNaN(m.zeroRate[1]) && Number.isNaN(m.favourableRate[1]));
  assert.equal(m.count[1], 0);
  throwsConfig(() => markouts({ fills, mid: [10, 10, 10], horizons: [0] }), "horizons[0]");
  throwsConfig(() => markouts({ fills, mid: [10, 10, 10], horizons: [1.5] }), "horizons[0]");
  throwsConfig(() => markouts({ fills, mid: [10], horizons: [1] }), "fills.step[1]");
});

Deno.test("studentTQuantile matches printed t tables to 3 decimals", () => {
  const table: [number, number, number][] = [
    // [p, df, t]
    [0.975, 1, 12.706],
    [0.975, 2, 4.303],
    [0.975, 5, 2.571],
    [0.975, 10, 2.228],
    [0.975, 30, 2.042],
    [0.975, 120, 1.980],
    [0.995, 20, 2.845],
    [0.95, 15, 1.753],
    [0.9, 60, 1.296],
    [0.9995, 3, 12.924],
  ];
  for (const [p, df, t] of table) near(studentTQuantile(p, df), t, 5e-4, `t(${p}, ${df})`);
  // closed forms: df = 1 is Cauchy, df = 2 is (2p - 1) / sqrt(2p(1 - p))
  near(studentTQuantile(0.9, 1), Math.tan(Math.PI * 0.4), 1e-9);
  near(studentTQuantile(0.8, 2), 0.6 / Math.sqrt(0.32), 1e-9);
  // large df tends to the normal quantile 1.959964
  near(studentTQuantile(0.975, 1e7), 1.959964, 1e-5);
  assert.equal(studentTQuantile(0.025, 7), -studentTQuantile(0.975, 7));
  assert.equal(studentTQuantile(0.5, 3), 0);
  throwsConfig(() => studentTQuantile(1, 3), "p");
  throwsConfig(() => studentTQuantile(0.9, 0), "df");
});

Deno.test("meanCI: mean, sample sd and Student-t half-width", () => {
  // mean 5; squared deviations 9 1 1 1 0 0 4 16 = 32, var 32/7, sd 2.138090;
  // t(0.975, 7) = 2.364624; half-width 2.364624 * 2.138090 / sqrt(8) = 1.787485
  const ci = meanCI(Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9));
  assert.equal(ci.mean, 5);
  assert.equal(ci.n, 8);
  assert.equal(ci.level, 0.95);
  near(ci.sd, 2.138090, 1e-6);
  near(ci.halfWidth, 1.787485, 1e-5);
  near(ci.lo, 5 - 1.787485, 1e-5);
  near(ci.hi, 5 + 1.787485, 1e-5);
  // 99%: t(0.995, 7) = 3.499483 -> 3.499483 * 0.755929 = 2.645362
  near(meanCI([2, 4, 4, 4, 5, 5, 7, 9], 0.99).halfWidth, 2.645362, 1e-5);
  const one = meanCI([3]);
  assert.equal(one.mean, 3);
  assert.ok(Number.isNaN(one.sd) && Number.isNaN(one.halfWidth));
  throwsConfig(() => meanCI([1, 2], 1), "level");
  throwsConfig(() => meanCI([1, NaN, 2]), "values[1]");
});
