/** A bad option or parameter, naming the field and the value that was refused. */
export class ConfigError extends Error {
  override readonly name: string = "ConfigError";
  readonly field: string;
  readonly value: unknown;

  constructor(message: string, field: string, value: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.field = field;
    this.value = value;
  }
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
