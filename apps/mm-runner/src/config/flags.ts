import type { Layer, Problem } from "./raw.ts";
import { boolean } from "./schemas.ts";
import { flagsOf, SETTINGS, type Setting } from "./settings.ts";

export interface CommandLine {
  readonly layer: Layer;
  readonly configFile?: string;
  readonly help: boolean;
  readonly version: boolean;
  readonly printConfig: boolean;
  readonly problems: Problem[];
}

const FLAGS: ReadonlyMap<string, Setting> = new Map(
  SETTINGS.flatMap((setting) => flagsOf(setting).map((flag) => [flag, setting] as const)),
);

const BOOLEAN_WORDS = new Set(["true", "false", "1", "0", "yes", "no", "on", "off"]);

/**
 * `--num-levels 5` and `--num-levels=5`; a boolean flag alone means true
 * (`--create-order-book`), `--no-create-order-book` means false.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const layer: Layer = new Map();
  const problems: Problem[] = [];
  let configFile: string | undefined;
  let help = false;
  let version = false;
  let printConfig = false;

  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    // `pnpm start -- --num-levels 5` passes the separator on: it means nothing here.
    if (arg === "--") continue;
    if (arg === "-h" || arg === "--help") {
      help = true;
      continue;
    }
    if (arg === "--version") {
      version = true;
      continue;
    }
    if (arg === "--print-config") {
      printConfig = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      problems.push({ name: arg, message: "unexpected argument (flags look like --num-levels 5)" });
      continue;
    }
    const equals = arg.indexOf("=");
    let flag = equals === -1 ? arg : arg.slice(0, equals);
    let value: string | undefined = equals === -1 ? undefined : arg.slice(equals + 1);

    if (flag === "--config") {
      value ??= argv[++index];
      if (value === undefined || value === "") {
        problems.push({ name: flag, message: "needs a file path" });
      } else {
        configFile = value;
      }
      continue;
    }

    let negated = false;
    if (!FLAGS.has(flag) && flag.startsWith("--no-")) {
      const positive = `--${flag.slice("--no-".length)}`;
      if (FLAGS.get(positive)?.schema === boolean && value === undefined) {
        negated = true;
        flag = positive;
      }
    }
    const setting = FLAGS.get(flag);
    if (setting === undefined) {
      problems.push({ name: flag, message: "unknown flag (see --help)" });
      continue;
    }
    if (negated) {
      value = "false";
    } else if (value === undefined && setting.schema === boolean) {
      const next = argv[index + 1];
      if (next !== undefined && BOOLEAN_WORDS.has(next.toLowerCase())) {
        value = next;
        index++;
      } else {
        value = "true";
      }
    } else if (value === undefined) {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith("--")) {
        problems.push({ name: flag, message: "needs a value" });
        continue;
      }
      value = next;
      index++;
    }
    const earlier = layer.get(setting.key);
    if (earlier !== undefined && earlier.value !== value) {
      problems.push({
        name: flag,
        value,
        message: `given twice (also ${earlier.name}=${JSON.stringify(earlier.value)})`,
      });
      continue;
    }
    layer.set(setting.key, { value, name: flag });
  }
  const result: CommandLine = { layer, help, version, printConfig, problems };
  return configFile === undefined ? result : { ...result, configFile };
}
