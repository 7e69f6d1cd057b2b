import { decimalPositive, strategy } from "../schemas.ts";
import type { SettingTable } from "../setting.ts";

/** The strategy that places the ladder, and Avellaneda-Stoikov's parameters. */
export const STRATEGY_SETTINGS = {
  strategy: {
    schema: strategy,
    env: "STRATEGY",
    scope: "symbol",
    default: "layered",
    help: "`layered`: the seed's symmetric ladder around the price; `avellaneda-stoikov`: centre and spread from volatility, inventory and risk aversion (AS_*). Needs a restart to change.",
  },
  asGamma: {
    schema: decimalPositive,
    env: "AS_GAMMA",
    scope: "symbol",
    default: "0.1",
    help: "avellaneda-stoikov: risk aversion γ, per order size of inventory per price unit. Higher: the centre leans harder against the position.",
  },
  asKappa: {
    schema: decimalPositive,
    env: "AS_KAPPA",
    scope: "symbol",
    default: "1.5",
    help: "avellaneda-stoikov: order-book liquidity κ, per price unit; the spread's (2/γ)·ln(1 + γ/κ) term narrows as κ grows.",
  },
  asHorizonSeconds: {
    schema: decimalPositive,
    env: "AS_HORIZON_SECONDS",
    scope: "symbol",
    help: "avellaneda-stoikov: a finite horizon T, in back-to-back sessions of this many seconds (1 to 604800): T − t is the time left in the current one. Not set: infinite (T − t held at 1 s).",
  },
  volatilityWindowSeconds: {
    schema: decimalPositive,
    env: "VOLATILITY_WINDOW_SECONDS",
    scope: "symbol",
    default: "60",
    help: "avellaneda-stoikov: σ² is the realized variance per second of the prices streamed over this many seconds (1 to 86400).",
  },
} as const satisfies SettingTable;
