import type { SettingKey, SettingOutput, SettingValues, SymbolSettingKey } from "./settings.ts";
import type { SymbolConfig, ValueSource } from "./types.ts";

/** A value that passed its schema, with the name it was given under. */
export interface Valued<T = unknown> {
  readonly value: T;
  /** `NUM_LEVELS`, `--num-levels`, a file path and key, or `NUM_LEVELS (default)`. */
  readonly name: string;
  /** As written, for messages. */
  readonly raw: unknown;
  /** Which layer gave it. */
  readonly source: ValueSource;
}

/** The runner-wide settings that passed their schemas, each typed by its schema's output. */
export type ValuedSettings = { [K in SettingKey]?: Valued<SettingOutput<K>> };

/** A per-symbol setting's key, or `book` (set per symbol in the config file only). */
export type SymbolValuedKey = SymbolSettingKey | "book";

export interface ResolvedSymbol {
  readonly config: SymbolConfig;
  /** Setting key → where its value came from, for cross-check messages. */
  readonly names: ReadonlyMap<SymbolValuedKey, Valued>;
}

/** Stores a checked value under its setting; `valued` passed that setting's schema. */
export function setValued<K extends SettingKey>(
  into: ValuedSettings,
  key: K,
  valued: Valued,
): void {
  (into as Record<K, Valued>)[key] = valued;
}

/**
 * The values of settings that all passed their schemas (no problem was found): every
 * setting with a default has one.
 */
export function valuesOf(valued: ValuedSettings): SettingValues {
  const values: Record<string, unknown> = {};
  for (const [key, each] of Object.entries(valued)) {
    if (each !== undefined) values[key] = each.value;
  }
  return values as SettingValues;
}
