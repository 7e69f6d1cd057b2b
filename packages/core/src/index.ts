/**
 * @matchingo-mm/core: the pure, runtime-agnostic heart of the market maker.
 * Everything public is exported from here.
 */
export * from "./async/index.ts";
export * from "./config-error.ts";
export * from "./decimal.ts";
export type { DecimalInput } from "./decimal-input.ts";
export { readDecimal } from "./decimal-input.ts";
export * from "./errors.ts";
export * from "./ladder.ts";
export * from "./market-maker/events.ts";
export * from "./market-maker/index.ts";
export * from "./order-id.ts";
export * from "./order-sizes.ts";
export * from "./planner.ts";
export * from "./ports.ts";
export * from "./risk/index.ts";
export * from "./strategies/index.ts";
