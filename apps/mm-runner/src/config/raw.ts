/** A value as the user gave it, with the name they gave it under (for error messages). */
export interface RawValue {
  readonly value: unknown;
  /** `NUM_LEVELS`, `--num-levels`, or `mm.yaml: symbols.ETH-USDT.orderSize`. */
  readonly name: string;
}

/** One layer of configuration (flags, environment or file): setting key → raw value. */
export type Layer = Map<string, RawValue>;

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
