/** One refused field: what it is, what it was, and why. */
export interface ConfigProblem {
  readonly field: string;
  readonly value: unknown;
  readonly message: string;
}

/**
 * A bad option or parameter, naming the field and the value that was refused. When
 * several fields were refused at once, `problems` lists every one (`field`/`value` are
 * the first's).
 */
export class ConfigError extends Error {
  override readonly name: string = "ConfigError";
  readonly field: string;
  readonly value: unknown;
  readonly problems: readonly ConfigProblem[];

  constructor(
    message: string,
    field: string,
    value: unknown,
    options?: { cause?: unknown; problems?: readonly ConfigProblem[] },
  ) {
    super(message, options);
    this.field = field;
    this.value = value;
    this.problems = options?.problems ?? [{ field, value, message }];
  }
}

/** One error naming every problem; `problems` must not be empty. */
export function configErrorOf(problems: readonly ConfigProblem[]): ConfigError {
  const [first] = problems;
  if (!first) throw new Error("configErrorOf needs at least one problem");
  const message =
    problems.length === 1
      ? first.message
      : `${problems.length} problems: ${problems.map((p) => p.message).join("; ")}`;
  return new ConfigError(message, first.field, first.value, { problems });
}

/** Renders a refused value for an error message without throwing on bigint or cycles. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value !== null && typeof value === "object" && "units" in value && "scale" in value) {
    return `Decimal(${String(value.units)}e-${String(value.scale)})`;
  }
  return String(value);
}
