/** One refused value: the setting, the value given, and why (configuration's words). */
export interface FieldProblem {
  readonly field: string;
  readonly value?: unknown;
  readonly message: string;
  /** The symbol it was refused for, when the check depends on the symbol (its price, its lot step). */
  readonly symbol?: string;
}

/**
 * A parameter change refused as a whole: nothing was changed. `problems` lists every
 * problem as one line each (`numLevels=0: must be at least 1`), in configuration's words;
 * `fields` the same with the field and value apart. The HTTP routes answer it with 400.
 */
export class ParamsRejected extends Error {
  override readonly name = "ParamsRejected";
  readonly problems: readonly string[];
  readonly fields: readonly FieldProblem[];
  constructor(problems: readonly string[], fields: readonly FieldProblem[] = []) {
    super(`parameters rejected: ${problems.join("; ")}`);
    this.problems = problems;
    this.fields = fields;
  }
}

/** A field problem as one line, the way configuration problems are printed. */
export function describeFieldProblem(problem: FieldProblem): string {
  const shown = problem.value === undefined ? "" : `=${JSON.stringify(problem.value)}`;
  const where = problem.symbol === undefined ? "" : ` (${problem.symbol})`;
  return `${problem.field}${shown}: ${problem.message}${where}`;
}
