import * as v from "valibot";
import type { Problem, RawValue } from "./raw.ts";
import type { SettingSchema } from "./setting.ts";
import type { ValueSource } from "./types.ts";
import type { Valued } from "./valued.ts";

const SECRET_MASK = "<redacted>";

/**
 * One value against its setting's schema, exactly as configuration checks it: the control
 * API and SIGHUP use it so their messages are the configuration's. A problem names the
 * value as given (a secret's masked) and every message of its schema.
 */
export function checkSetting<S extends SettingSchema>(
  setting: { readonly schema: S; readonly secret?: boolean },
  raw: RawValue,
  problems: Problem[],
  source: ValueSource = "control",
): Valued<v.InferOutput<S>> | undefined {
  const result = v.safeParse(setting.schema, raw.value, { abortPipeEarly: true });
  if (result.success) return { value: result.output, name: raw.name, raw: raw.value, source };
  problems.push({
    name: raw.name,
    value: setting.secret ? SECRET_MASK : raw.value,
    message: result.issues.map((issue) => issue.message).join("; "),
  });
  return undefined;
}
