/**
 * @matchingo-mm/core: the pure, runtime-agnostic heart of the market maker.
 * Everything public is exported from here.
 */
export * from "./decimal.ts";
export * from "./errors.ts";
export * from "./ports.ts";
