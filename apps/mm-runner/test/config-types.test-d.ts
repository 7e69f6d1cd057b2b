/**
 * Type tests: `pnpm typecheck` (tsc) checks this file; vitest does not run it. Each
 * `@ts-expect-error` must meet an error, or tsc fails: a misspelt setting, or a value of
 * the wrong type, does not compile. Every setting's type is its schema's output.
 */
import { expectTypeOf } from "vitest";
import type { SourceName } from "../src/config/schemas.ts";
import {
  SETTING,
  type SettingKey,
  type SettingOutput,
  type SettingValues,
  type SymbolSettingKey,
} from "../src/config/settings.ts";
import type { RunnerConfig, SymbolConfig } from "../src/config/types.ts";
import type { ValuedSettings } from "../src/config/valued.ts";

declare const values: SettingValues;
declare const runner: RunnerConfig;
declare const symbol: SymbolConfig;
declare const valued: ValuedSettings;

// Inferred from the schemas: numbers, booleans, literal unions, decimal strings.
expectTypeOf(values.numLevels).toEqualTypeOf<number>();
expectTypeOf(values.matchingoTls).toEqualTypeOf<boolean>();
expectTypeOf(values.updateIntervalSeconds).toEqualTypeOf<number>();
expectTypeOf(values.requoteMode).toEqualTypeOf<"diff" | "replace-all">();
expectTypeOf(values.strategy).toEqualTypeOf<"layered" | "avellaneda-stoikov">();
expectTypeOf(values.priceSources).toEqualTypeOf<SourceName[]>();
expectTypeOf(values.baseSpreadPercent).toEqualTypeOf<string>();
expectTypeOf(values.matchingoMetadata).toEqualTypeOf<Record<string, string> | undefined>();
// No default: may be absent.
expectTypeOf(values.maxPosition).toEqualTypeOf<string | undefined>();
expectTypeOf(values.fillFeed).toEqualTypeOf<"kafka" | "poll" | undefined>();

// The resolved configuration's fields are the settings' outputs.
expectTypeOf(runner.matchingoDeadlineMs).toEqualTypeOf<SettingOutput<"matchingoDeadlineSeconds">>();
expectTypeOf(runner.logLevel).toEqualTypeOf<SettingOutput<"logLevel">>();
expectTypeOf(runner.fillFeed).toEqualTypeOf<"kafka" | "poll">();
expectTypeOf(symbol.numLevels).toEqualTypeOf<number>();
expectTypeOf(symbol.updateIntervalMs).toEqualTypeOf<number>();
expectTypeOf(symbol.orderSizeStep).toEqualTypeOf<string | undefined>();
expectTypeOf(valued.fillFeed?.value).toEqualTypeOf<"kafka" | "poll" | undefined>();
expectTypeOf<"numLevels">().toExtend<SymbolSettingKey>();
expectTypeOf(SETTING.numLevels.env).toEqualTypeOf<"NUM_LEVELS">();

// A misspelt setting does not compile, wherever it is read.
// @ts-expect-error numLevles is not a setting
expectTypeOf(values.numLevles);
// @ts-expect-error numLevles is not a setting
expectTypeOf(symbol.numLevles);
// @ts-expect-error fillFed is not a setting
expectTypeOf(valued.fillFed);
// @ts-expect-error numLevles is not a setting
expectTypeOf(SETTING.numLevles);
// @ts-expect-error numLevles is not a setting key
export const misspelt: SettingKey = "numLevles";
// @ts-expect-error numLevles is not a setting key
export type Misspelt = SettingOutput<"numLevles">;
// @ts-expect-error the runner's config has the deadline in ms, not the setting's seconds
expectTypeOf(runner.matchingoDeadlineSeconds);
// @ts-expect-error marketSymbol applies to the runner, not to one symbol
expectTypeOf<"marketSymbol">().toExtend<SymbolSettingKey>();

// A value of the wrong type does not compile.
// @ts-expect-error numLevels is a number
export const levels: string = values.numLevels;
// @ts-expect-error maxPosition may be absent
export const limit: string = values.maxPosition;
// @ts-expect-error requoteMode is diff or replace-all
export const wrongMode: SymbolConfig = { ...symbol, requoteMode: "cancel-all" };
// @ts-expect-error numLevels is a number, not a string
export const wrongLevels: SymbolConfig = { ...symbol, numLevels: "3" };
// @ts-expect-error priceSources are source names
export const wrongSources: RunnerConfig = { ...runner, priceSources: ["bitstamp"] };
