import type { SettingKey } from "./settings.ts";

/** A value as the user gave it, with the name they gave it under (for error messages). */
export interface RawValue {
  readonly value: unknown;
  /** `NUM_LEVELS`, `--num-levels`, or `mm.yaml: symbols.ETH-USDT.orderSize`. */
  readonly name: string;
}

/** A key of a layer: a setting's, or `book` (a symbol's, in the config file only). */
export type LayerKey = SettingKey | "book";

/** One layer of configuration (flags, environment or file): setting key → raw value. */
export type Layer = Map<LayerKey, RawValue>;

export interface Problem {
  /** The name as the user wrote it, or the setting's names when it came from no layer. */
  readonly name: string;
  readonly value?: unknown;
  readonly message: string;
}

export function describeProblem(problem: Problem): string {
  const shown = problem.value === undefined ? "" : `=${JSON.stringify(problem.value)}`;
  return `${problem.name}${shown}: ${problem.message}`;
}
