/**
 * Every setting of the runner, once: its value schema, config-file key, environment
 * name(s), flag, default and help. Parsing, validation messages, `--help`, the README
 * table and the resolved configuration's type all come from these tables, so they cannot
 * drift apart. The tables are split by area (settings/); this is their order in `--help`.
 */
import type * as v from "valibot";
import { flagOfEnv, type SettingScope, type SettingSpec } from "./setting.ts";
import { FILL_SETTINGS } from "./settings/fills.ts";
import { LADDER_SETTINGS } from "./settings/ladder.ts";
import { MARKET_SETTINGS } from "./settings/market.ts";
import { OPS_SETTINGS } from "./settings/ops.ts";
import { PRICE_GUARD_SETTINGS } from "./settings/price-guard.ts";
import { PRICE_SETTINGS } from "./settings/prices.ts";
import { QUOTING_SETTINGS } from "./settings/quoting.ts";
import { RISK_SETTINGS } from "./settings/risk.ts";
import { SANDBOX_SETTINGS } from "./settings/sandbox.ts";
import { STATE_SETTINGS } from "./settings/state.ts";
import { STRATEGY_SETTINGS } from "./settings/strategy.ts";
import { VENUE_SETTINGS } from "./settings/venue.ts";

export type { SettingScope } from "./setting.ts";

/** Every setting by its config-file key, in `--help` order. */
export const SETTING = {
  ...VENUE_SETTINGS,
  ...MARKET_SETTINGS,
  ...LADDER_SETTINGS,
  ...STRATEGY_SETTINGS,
  ...QUOTING_SETTINGS,
  ...RISK_SETTINGS,
  ...PRICE_SETTINGS,
  ...PRICE_GUARD_SETTINGS,
  ...SANDBOX_SETTINGS,
  ...FILL_SETTINGS,
  ...STATE_SETTINGS,
  ...OPS_SETTINGS,
} as const;

type Table = typeof SETTING;

/** A setting's config-file key: `numLevels`. A misspelt one does not compile. */
export type SettingKey = keyof Table;

/** The value a setting resolves to: its schema's output (`numLevels`: number). */
export type SettingOutput<K extends SettingKey> = v.InferOutput<Table[K]["schema"]>;

/** Settings that may differ per symbol. */
export type SymbolSettingKey = {
  [K in SettingKey]: Table[K]["scope"] extends "symbol" ? K : never;
}[SettingKey];

/** Settings with a default: always resolved to a value. */
type DefaultedKey = {
  [K in SettingKey]: Table[K] extends { readonly default: string } ? K : never;
}[SettingKey];

/** Every setting's resolved value, typed from its schema; one without a default may be absent. */
export type SettingValues = {
  readonly [K in DefaultedKey]: SettingOutput<K>;
} & {
  readonly [K in Exclude<SettingKey, DefaultedKey>]?: SettingOutput<K>;
};

/** One setting with its key and flag, for code that walks all of them. */
export interface Setting extends SettingSpec {
  /** Key in the config file (camelCase), also the key of the resolved value. */
  readonly key: SettingKey;
  /** `--num-levels`. */
  readonly flag: string;
  readonly scope: SettingScope;
}

export const SETTINGS: readonly Setting[] = (Object.keys(SETTING) as SettingKey[]).map((key) => ({
  ...(SETTING[key] as SettingSpec),
  key,
  flag: flagOfEnv(SETTING[key].env),
}));

/** By config-file key, for keys that come from outside (a file, a PATCH body). */
export const SETTINGS_BY_KEY: ReadonlyMap<string, Setting> = new Map(
  SETTINGS.map((setting) => [setting.key, setting]),
);

/** Whether `key`, from outside, names a setting. */
export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING, key);
}

/** Every flag of a setting: its own and one per environment alias. */
export function flagsOf(setting: Setting): string[] {
  return [setting.flag, ...(setting.aliases ?? []).map(flagOfEnv)];
}
