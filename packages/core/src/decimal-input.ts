import { ConfigError, describeValue } from "./config-error.ts";
import { type Decimal, parseDecimal } from "./decimal.ts";

/** Options accept decimal strings (as configured) or already parsed decimals. */
export type DecimalInput = string | Decimal;

type ErrorFactory = (message: string, field: string, value: unknown, cause?: unknown) => Error;

const configError: ErrorFactory = (message, field, value, cause) =>
  new ConfigError(message, field, value, { cause });

function isDecimal(value: unknown): value is Decimal {
  if (value === null || typeof value !== "object") return false;
  const { units, scale } = value as Partial<Decimal>;
  return typeof units === "bigint" && Number.isInteger(scale) && (scale as number) >= 0;
}

/** Reads a decimal option, failing with an error that names the field and the value. */
export function readDecimal(
  field: string,
  input: unknown,
  makeError: ErrorFactory = configError,
): Decimal {
  if (isDecimal(input)) return input;
  if (typeof input === "string") {
    try {
      return parseDecimal(input);
    } catch (cause) {
      throw makeError(
        `${field} must be a plain decimal string like "0.01", got ${describeValue(input)}`,
        field,
        input,
        cause,
      );
    }
  }
  throw makeError(
    `${field} must be a decimal string or Decimal, got ${describeValue(input)}`,
    field,
    input,
  );
}
