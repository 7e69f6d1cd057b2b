import { isDecimalString } from "@matchingo-mm/core";
import * as v from "valibot";

/** Text, or a number/boolean the file spelled without quotes. */
export const text = v.pipe(
  v.union(
    [v.string(), v.number(), v.boolean()],
    "must be text (a string), not a list or a mapping",
  ),
  v.transform((value) => String(value).trim()),
);

/** A comma list, or a list in the config file. */
export const list = v.pipe(
  v.union([v.string(), v.array(v.union([v.string(), v.number()]))], "must be a comma list"),
  v.transform((value) =>
    (Array.isArray(value) ? value.map(String) : value.split(","))
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  ),
);

export const decimal = v.pipe(
  text,
  v.check(
    (value: string) => isDecimalString(value),
    "must be a plain decimal number like 0.1 (no exponent, no unit)",
  ),
);

/**
 * One of `options`, any case: `message` names them all. The output is typed as the
 * options (`"diff" | "replace-all"`), so the resolved configuration is too.
 */
export function choice<const T extends readonly [string, ...string[]]>(
  options: T,
  message: string,
) {
  return v.pipe(
    text,
    v.transform((value) => value.toLowerCase()),
    v.picklist(options, message),
  );
}
