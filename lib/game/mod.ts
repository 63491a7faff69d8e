/**
 * # The maker–taker game
 *
 * One instrument trades on a limit order book (`lib/book`, integer ticks, price-time
 * priority). A large **taker** must sell a meta-order of Q contracts (default 8,000) within a
 * window of 60 one-second steps, one child order per step; it **arrives at a random step** of a
 * 90-step episode, unannounced (see "Random arrival"). **n makers** (0 … 64) each bid at one
 * price, with one or several orders there, and compete with each other and with exogenous
 * **background** liquidity (`lib/market/background.ts`: a bid ladder below P0 that refills at a
 * resilience rate, an ask side, optional noise flow) to buy what the taker sells. The makers'
 * bids sit in the same queues as the background's: priority is real.
 *
 * ```ts
 * import { createGame, episodeFrame } from "./mod.ts";
 * const game = createGame({
 *   seed: 1,
 *   makers: 2,
 *   policy: [{ kind: "replenisher", offset: 1 }, { kind: "follower" }],
 *   taker: { kind: "reactive" },
 *   game: { kind: "known", size: 8_000 }, // game 1; { kind: "hidden" } is game 2
 *   record: true,
 * });
 * const summary = game.run(); // one episode; game.run() again continues the streams
 * const frame = episodeFrame(game); // per step and agent, a Polars DataFrame
 * if (frame.height !== 90 * 4) throw new Error("90 steps × (2 makers, background, taker)");
 * const shares = summary.makerPnl[0] + summary.makerPnl[1] + summary.backgroundPnl;
 * if (Math.abs(shares + summary.takerPnl) > 1e-6) throw new Error("shares add to −takerPnl");
 * ```
 *
 * ## A step, in order
 * 1. **Makers observe and choose, simultaneously.** Every maker's {@linkcode MakerView} is the
 *    same snapshot (the book after the previous step); `act(view)` returns an action index. No
 *    maker sees another's choice of the same step.
 * 2. **Their bids are updated in the book**, one maker after another in a **seeded random
 *    order** (a fresh permutation per step from the `"order"` stream), or in index order with
 *    `makerOrder: "fixed"`. The order matters only when two makers enter the back of the same
 *    level in the same step; a fixed order would hand maker 0 every such tie, a systematic edge
 *    that learners would exploit and that would break the symmetry of a symmetric game. The
 *    random order makes ties fair in distribution and still reproducible.
 * 3. **The taker's child order executes** (in the steps of its window only): `decide(view,
 *    order)` sees the book *after* the makers' updates (it hits the bids it sees) and sends one
 *    sell, at market or with a price floor (an `ioc` sell). At the last step of its window the
 *    **unsold rule** then applies.
 * 4. **Background liquidity refills and noise arrives** (`background.step`), after the sale, so
 *    the resilience acts over the interval between two child orders, as in Obizhaeva–Wang.
 *    Consequence: a level emptied by the taker is partly refilled by the background before the
 *    makers can act again, and a maker re-posting there queues behind that refill.
 * 5. **Rewards are recorded**: each maker's running PnL share is recomputed; its change is the
 *    step's reward, passed to `learn(reward, nextView, truncated)`; then the next views are
 *    built (they are the next step's observations).
 *
 * Alternatives considered: the taker first and the makers after (makers would react inside the
 * step to a child order they have already seen: they could never be caught by it, and the first
 * child would meet only the initial bids); makers in sequence, each seeing the previous one's
 * move (a Stackelberg order that breaks simultaneity and makes a maker's environment depend on
 * its index); the refill before the taker (the taker would always meet a partly rebuilt ladder
 * and the makers would observe its impact only after resilience had hidden part of it). The
 * order above is the spec's, and each alternative changes who can react to whom within a step.
 *
 * ## The makers' actions
 * A maker has a **price** setting `p` (ticks), a **target** quantity `q*` and a resting quantity
 * `r ≤ q*` (fills deplete `r`). All its quantity rests at `p`. How it rests there is the
 * **orders rule** (`orders`):
 *
 * - `"multi"` (default): the maker may hold **several orders** at `p`, as a real maker does. New
 *   quantity (a top-up after fills, `qty_up`, a re-post) is a **new order at the back** of the
 *   queue; the resting orders keep their places. A reduction cancels the newest orders first and
 *   then reduces the newest one left (in place: a reduction keeps priority). A **re-price** moves
 *   everything to the back of the new level (as one order: the same place as moving each in
 *   turn). Fills take its orders oldest first (they are in queue order), and the view's
 *   `queueAhead()` is the quantity ahead of its oldest order.
 * - `"single"`: the maker holds **one order**; adding quantity or re-pricing moves that order to
 *   the back of its (new) level (book semantics: `modify` to a larger quantity or another price
 *   loses priority); reducing keeps its place. This is the rule of the first version of the game:
 *   it reproduces its episodes byte for byte (tested), and it makes every top-up cost the resting
 *   part's queue position, which real exchanges do not charge.
 *
 * The seven actions of the spec (`actions: "spec"`, the default), with their effect on queue
 * priority under each rule:
 *
 * | # | action | price | resting `r` | target `q*` | priority (`multi`) | priority (`single`) |
 * |---|---|---|---|---|---|---|
 * | 0 | `up` | +1 tick | unchanged | unchanged | lost (back of the new level) | lost |
 * | 1 | `down` | −1 tick | unchanged | unchanged | lost | lost |
 * | 2 | `keep_price` | same | unchanged; if the bid is gone (`r = 0`), re-post `q*` | unchanged | kept; a re-post joins the back | kept; a re-post joins the back |
 * | 3 | `qty_up` | same | `+ inc` | `+ inc` | kept; the increment is a new order at the back | lost (an increase) |
 * | 4 | `qty_down` | same | `− inc` (at 0 the orders are cancelled) | `− inc` | kept (newest cut first) | kept (a reduction) |
 * | 5 | `keep_qty` | same | unchanged (fills deplete it; a filled bid stays out) | unchanged | kept | kept |
 * | 6 | `replenish` | same | `q*` (top up after fills, at once) | unchanged | kept; the top-up is a new order at the back | lost if anything is added |
 *
 * **Bounds** (`bid` options): the price stays in `[P0 − maxOffset, P0 − minOffset]` (defaults 10
 * and 0 ticks) and below the best ask (bids are post-only: they never cross); quantities in
 * `[0, maxQty]` (default 2,000), `inc` = `increment` (default 100). A move blocked by a bound is
 * a no-op and keeps the queue position. Initial bid: `P0 − startOffset` (default 1, joining the
 * background's best bid, behind it) for `startQty` (default 200), placed after the background.
 *
 * **The two "do nothing" actions.** Read naively, `keep_price` and `keep_qty` both leave the bid
 * alone. They differ in what happens once the taker has consumed the bid: `keep_qty` holds
 * everything, so a depleted bid stays depleted and a filled bid stays out of the book;
 * `keep_price` keeps the maker *present at its price*: it leaves a partly filled bid alone (its
 * queue position is worth keeping) but re-posts the target once the bid is gone (nothing is
 * lost: a new bid goes to the back anyway). `replenish` is the aggressive version: it tops up
 * every partial fill at once: under the one-order rule it pays with the queue position of the
 * resting part (the book cannot add quantity behind an order without moving it); with several
 * orders it keeps that position and the top-up queues behind. So the three span "never refill",
 * "refill when gone" and "always refill". (Making `keep_price` top up after every fill would
 * make it identical to `replenish`.)
 *
 * **Factored variant** (`actions: "factored"`): price move {up, down, keep} × quantity move
 * {up, down, keep} (`"up/keep"`, `"keep/down"`, …; `"keep/keep"` holds everything) plus
 * `replenish`: 10 actions. The spec's seven are the default: they are what the spec names, and a
 * tabular learner's table is 30% smaller; the factored set adds combined moves (re-price and
 * resize in one step) but has no `keep_price` re-post. {@linkcode ActionSet.index} looks actions
 * up by name in either set (spec names are aliases in the factored set where one exists).
 *
 * ## Random arrival
 * The spec's takers "arrive randomly". The **episode** has `steps` N steps (the market's
 * window: the makers act in every one); the **taker's window** has `H = N − latest start`
 * steps; the taker arrives at step `s` and sells in steps `s … s + H − 1` (`arrival`):
 *
 * - `{kind: "uniform", latest}` (default): `s` uniform on `0 … latest`, drawn at each reset from
 *   the taker's arrival stream (`"arrival"`, its own named stream: adding it changes no other
 *   draw). Defaults: `latest = ⌊N / 3⌋`, and N = 90 when not given, so the default taker sells
 *   its 8,000 in 60 steps (the spec's minute, the taker's problem of the first version
 *   unchanged) starting in the first 30 s of a 90 s episode. The uniform distribution is the
 *   least predictable one on the steps where the window fits (the largest entropy), with no
 *   parameter beyond its range. Its hazard rises with time (with no arrival by step 29, it comes
 *   at step 30): a state that resolved the first 30 steps could use that, but the makers' default
 *   `time` feature puts all of them in its "31 or more steps left" bin. A memoryless
 *   (geometric) arrival would have no such tell but needs a truncation that piles its tail on
 *   the latest step.
 * - `{kind: "fixed", start}` (default start 0; N defaults to 60 + start): the first version's
 *   game with `start: 0`.
 *
 * **What the makers see.** Nothing about `s` in advance: their views carry the episode's clock
 * (`t`, `stepsLeft`: the state's `time` feature is time left in the episode, not in the taker's
 * window), the book and the tape. In game 1 `takerRemaining` is Q until the taker has sold
 * something (the size is public, the start is not); in game 2 it is `NaN`, so there neither the
 * size nor the start is shown. The makers learn of the arrival as everyone does, from the tape
 * and the book after the taker's first child order (and, in game 1, from `takerRemaining`). The
 * views before and at the arrival step are identical whatever the start (tested).
 *
 * **The taker** lives in its own time: its view's `t` is `0` at its first step, `steps` and
 * `stepsLeft` count its window, its `reset` runs when it arrives (seeing the book at the start of
 * that step) and `learn` only for its steps, truncated at its last. Outside its window it sends
 * nothing: no fills, no rewards (the makers' shares stay where they are after it has left). The
 * unsold rule applies at the last step of its window. The accounting is unchanged (shares of the
 * taker's cost by volume; they add up to −taker PnL, tested); the summary reports `takerStart`
 * and `takerSteps`, and `fillsPerStep` is per step of its window.
 *
 * ## Takers, games, unsold quantity
 * Taker strategies (`lib/takers/`): `aggressive` (front-loads), `passive` (TWAP, never walking
 * more than `maxWalk` ticks below the best bid per step), `reactive` (sells more while bids are
 * replenished near P0, slows when depth is thin or the price depressed, catches up before the
 * deadline), `almgren-chriss` (risk aversion λ from TWAP at 0 to all-at-once), or `custom`.
 *
 * - **Game 1** (`game: {kind: "known", size}`): Q fixed and visible to the makers
 *   (`view.takerRemaining`).
 * - **Game 2** (`game: {kind: "hidden", size: distribution}`): Q drawn per episode (`fixed`,
 *   `uniform`, `choice`, `lognormal`; default uniform in [4,000, 12,000]) from the `"size"`
 *   stream, hidden (`takerRemaining` is `NaN`): makers see only the flow (the tape volume, their
 *   fills, the book). A new variant is one more member of {@linkcode GameSpec} and one case in
 *   {@linkcode resolveGame}.
 * - **Unsold at the deadline** (`unsold`): `"sweep"` (default) sells whatever is left at market
 *   right after the last child order of its window (before that step's refill), into makers
 *   and background alike;
 *   it counts as executed (reported as `sweepQty`); only what the whole bid side cannot absorb
 *   stays unsold. `"drop"` leaves the remainder unsold. Unsold quantity is excluded from the taker
 *   PnL (defined on executed quantity) and charged in the implementation shortfall at the final
 *   best bid. Considered and rejected: selling the rest off-book to the background at a penalty
 *   price (a price the book never showed, and a flow no maker could take part in).
 *
 * ## Accounting (in currency: ticks × `tickSize`)
 * - Taker PnL = (average execution price − P0) × executed quantity (negative: a cost).
 * - Maker i's PnL share = −(taker PnL) × (maker i's volume against the taker ÷ the taker's total
 *   executed volume); the background's share likewise with its volume. Volumes add up
 *   (`Σ makers + background = executed`), so the shares add up to −(taker PnL). Fills from noise
 *   traders are not part of the taker's sale and do not enter the shares.
 * - **Reward** of maker i at step t = share(t) − share(t − 1), the running share after the step
 *   minus before (0 while nothing has executed): the episode's rewards sum to the final share.
 * - Also reported ({@linkcode EpisodeSummary}): each maker's own fills marked to P0
 *   (`Σ (P0 − price) × qty`, taker and noise fills), market shares, fill counts and fills per
 *   step, final bid levels, implementation shortfall (`Q·P0 − Σ price·qty − unsold · final best
 *   bid`, also in basis points), the deadline sweep, noise volume.
 *
 * ## Plugging in a learner
 * A maker policy is `{name, act(view) → action, learn?(reward, next, truncated), reset?(view)}`
 * ({@linkcode MakerPolicy}), configured as `{kind: "custom", create: (ctx) => policy}`; `ctx` has
 * the maker's own stream (`"maker:<i>"`), the action set and the bid rules. A tabular learner
 * encodes the view into a state in `act`, remembers `(state, action)`, and updates in `learn`
 * with the next view's state (`truncated` at the end of the window). A learning taker is a
 * `TakerStrategy` with `learn(reward, next, truncated)`, its reward being its own step PnL.
 *
 * ## Determinism
 * One root `seed`, split by name: `"taker"`, `"maker:<i>"`, `"background"`, `"order"` (the
 * makers' update order), `"size"` (game 2's draw), `"arrival"` (the taker's start). Each stream
 * depends on the seed and its name only, so adding a maker (or the arrival draw) changes no other
 * stream. `reset(seed)` re-seeds all of them;
 * `reset()` continues them (consecutive episodes differ, reproducibly).
 *
 * ## Inputs
 * A config is checked whole by {@linkcode resolveConfig} (`config.ts`) before anything is built:
 * unknown keys are rejected with a suggestion at any level (`"makres": unknown option; did you
 * mean "makers"?`), values are never coerced (`makers: "2"` is an error under `makers`), and
 * messages name the path (`game.size.max`, `policy[1].alpha`, `taker.maxWalk`,
 * `background.resilience`) and the allowed values. `makers` is an integer in [0, 64]; `policy` one
 * spec or an array of one per maker. Seeds (the config's, `run(seed)`, `reset(seed)`) are a safe
 * integer or a non-empty string, never NaN, a fraction, null, an object or a boolean; a rejected
 * seed changes nothing. Policies receive the game's facts (maker count, action set, whether the
 * size is visible) through their context, so a policy built for another game is rejected, not
 * reshaped. `playEpisodes` and `evaluateGame` check their options the same way.
 *
 * ## Data and speed
 * With `record: true` the step loop writes into preallocated typed arrays ({@linkcode
 * GameRecord}) and {@linkcode episodeFrame} builds one DataFrame per episode (one row per step
 * and agent: makers, background, taker); {@linkcode summaryFrame} makes one row per episode.
 * With `record: false` (default) nothing is written. The step loop allocates nothing: views,
 * the child order and all state are reused objects and typed arrays. Per episode, `reset`
 * clears the book (`book.clear()`) and re-initialises the background on it.
 *
 * @module
 */
export * from "./types.ts";
export * from "./actions.ts";
export * from "./config.ts";
export * from "./policies.ts";
export * from "./game.ts";
export * from "./record.ts";
export * from "./frame.ts";
export * from "./evaluate.ts";
export * from "./conditions.ts";
