import type * as v from "valibot";

/** `runner`: one value for the whole process. `symbol`: may differ per symbol (config file `symbols:`). */
export type SettingScope = "runner" | "symbol";

/** A schema of one setting: any input, its own output. */
export type SettingSchema = v.GenericSchema<unknown, unknown>;

/**
 * One setting as declared: its value schema and what the user sees of it. The config-file
 * key (camelCase, also the resolved value's key) is the key it is declared under.
 */
export interface SettingSpec {
  /** Parses what the user wrote; its output type is the resolved value's type. */
  readonly schema: SettingSchema;
  /** Environment variable; the seed's names are kept. The flag is derived from it. */
  readonly env: string;
  /** Other environment names with the same meaning (the seed's `SPREAD_PERCENT`). */
  readonly aliases?: readonly string[];
  readonly scope: SettingScope;
  /** As the user would write it; absent means "not set" (the help says what happens then). */
  readonly default?: string;
  /** What it means: `--help` and the README's table. */
  readonly help: string;
  /** Holds a secret: never logged, never printed back. */
  readonly secret?: boolean;
}

/** A table of settings by config-file key, declared `as const satisfies SettingTable`. */
export type SettingTable = Readonly<Record<string, SettingSpec>>;

/** `NUM_LEVELS` → `--num-levels`. */
export function flagOfEnv(env: string): string {
  return `--${env.toLowerCase().replaceAll("_", "-")}`;
}
