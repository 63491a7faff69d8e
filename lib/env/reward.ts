/**
 * Reward shaping for the market-making environments: five terms, each weighted by the
 * configuration and logged separately in the step's `info` (`rewardPnl`, `rewardInventory`,
 * `rewardDampening`, `rewardSpreadCapture`, `rewardTarget`); the reward is their sum.
 *
 * With wealth `W = cash + q·m` (mid `m`, inventory `q`), one step's change splits exactly into
 *
 *     ΔW = [Δcash + Δq · m_before]  +  q_after · Δm
 *          (matched PnL: spread capture + fees)   (inventory PnL)
 *
 * and the terms are
 *
 * - **pnl** `= w_pnl · ΔW`: mark-to-market PnL, fees and rebates included;
 * - **inventory** `= −η_q · q_after²`: a quadratic running inventory penalty;
 * - **dampening** `= −max(0, η_d · q_after · Δm)`: the asymmetric dampening of Spooner et al.
 *   (2018, "Market making via reinforcement learning", AAMAS), which removes a share `η_d` of the
 *   speculative gains from holding inventory through a mid move while keeping the losses;
 * - **spreadCapture** `= w_sc · Σ_fills side · (m_before − price) · qty`: the price improvement of
 *   this step's passive fills against the mid before the step (no fees);
 * - **target** `= −η_t · (q_after − q*)²`: target tracking, the squared distance of the inventory
 *   after the step from the agent's inventory target `q*` for that step (an action dimension of
 *   the continuous environment; 0 in the discrete grid, where the term is a second inventory
 *   penalty). The target is the agent's own choice, so the term prices a commitment: it is
 *   costless only if the agent says in advance where its inventory will be.
 *
 * The default is the plain PnL (`pnl: 1`, the others 0): shaping is opt-in.
 *
 * @module
 */
import { checkKeys, checkNum, checkObject } from "../errors.ts";
import type { StepInfo } from "./quoting.ts";

/** Weights of the reward terms. */
export interface RewardConfig {
  /** Weight `w_pnl` of the mark-to-market PnL change (fees included). Default 1. */
  readonly pnl: number;
  /** Coefficient `η_q ≥ 0` of the quadratic inventory penalty `−η_q·q²`. Default 0. */
  readonly inventoryPenalty: number;
  /** Coefficient `η_d ≥ 0` of the asymmetric dampening `−max(0, η_d·q·Δm)`. Default 0. */
  readonly dampening: number;
  /** Weight `w_sc` of the step's spread capture. Default 0. */
  readonly spreadCapture: number;
  /** Coefficient `η_t ≥ 0` of the target-tracking term `−η_t·(q − q*)²`. Default 0. */
  readonly targetTracking: number;
}

/** Default reward: the PnL alone. */
export const REWARD_DEFAULTS: Readonly<RewardConfig> = Object.freeze({
  pnl: 1,
  inventoryPenalty: 0,
  dampening: 0,
  spreadCapture: 0,
  targetTracking: 0,
});

const KEYS = ["pnl", "inventoryPenalty", "dampening", "spreadCapture", "targetTracking"] as const;

/**
 * Fills defaults and validates; throws `ConfigError` naming `<field>.<key>` (e.g.
 * `reward.dampening: must be a number in [0, 1000000], got -1`) or an unknown key.
 *
 * @example
 * ```ts
 * import { checkReward } from "./reward.ts";
 * const r = checkReward({ inventoryPenalty: 0.01 });
 * if (r.pnl !== 1 || r.inventoryPenalty !== 0.01) throw new Error();
 * ```
 */
export function checkReward(v: Partial<RewardConfig> | undefined, field = "reward"): RewardConfig {
  if (v === undefined) return { ...REWARD_DEFAULTS };
  checkObject(field, v, `an object with keys ${KEYS.join(", ")}`);
  checkKeys(v, KEYS, { path: field });
  const r = { ...REWARD_DEFAULTS, ...v };
  checkNum(`${field}.pnl`, r.pnl, -1e6, 1e6);
  checkNum(`${field}.inventoryPenalty`, r.inventoryPenalty, 0, 1e6);
  checkNum(`${field}.dampening`, r.dampening, 0, 1e6);
  checkNum(`${field}.spreadCapture`, r.spreadCapture, -1e6, 1e6);
  checkNum(`${field}.targetTracking`, r.targetTracking, 0, 1e6);
  return r;
}

/** One step's raw quantities, from which the terms are computed. */
export interface RewardInputs {
  /** Change of wealth `cash + q·m` over the step. */
  readonly dWealth: number;
  /** Inventory after the step. */
  readonly q: number;
  /** Change of the mid over the step. */
  readonly dMid: number;
  /** `Σ side·(m_before − price)·qty` over the step's passive fills. */
  readonly capture: number;
  /** The agent's inventory target for the step. */
  readonly target: number;
}

/**
 * Writes the five weighted terms into `out` (the step's info) and returns their sum, the reward.
 * Allocation-free.
 *
 * @example
 * ```ts
 * import { checkReward, rewardTerms } from "./reward.ts";
 * import { createStepInfo } from "./quoting.ts";
 * const cfg = checkReward({ inventoryPenalty: 0.5, dampening: 1 });
 * const info = createStepInfo();
 * // long 2 through a mid rise of 1.5 (+3 of wealth): dampening removes the gain
 * const r = rewardTerms(cfg, { dWealth: 3, q: 2, dMid: 1.5, capture: 0, target: 0 }, info);
 * if (r !== 3 - 2 - 3 || info.rewardDampening !== -3) throw new Error(String(r));
 * // target tracking: inventory 2 against a target of 3
 * const t = rewardTerms(checkReward({ targetTracking: 0.5 }),
 *   { dWealth: 0, q: 2, dMid: 0, capture: 0, target: 3 }, info);
 * if (t !== -0.5 || info.rewardTarget !== -0.5) throw new Error(String(t));
 * ```
 */
export function rewardTerms(config: RewardConfig, inputs: RewardInputs, out: StepInfo): number {
  const { dWealth, q, dMid, capture } = inputs;
  const pnl = config.pnl * dWealth;
  const inv = -config.inventoryPenalty * q * q;
  const spec = config.dampening * q * dMid;
  const damp = spec > 0 ? -spec : 0;
  const sc = config.spreadCapture * capture;
  const gap = q - inputs.target;
  const tgt = -config.targetTracking * gap * gap;
  out.rewardPnl = pnl;
  // `+ 0` turns a −0 into 0 so that logged terms compare equal across runs and read cleanly.
  out.rewardInventory = inv + 0;
  out.rewardDampening = damp + 0;
  out.rewardSpreadCapture = sc;
  out.rewardTarget = tgt + 0;
  out.inventoryTarget = inputs.target;
  // Summed in the order the four older terms always were, so their rewards are unchanged.
  return pnl + inv + damp + sc + tgt;
}
