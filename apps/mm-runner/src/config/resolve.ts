import { resolve as resolvePath } from "node:path";
import { checkSetting } from "./check.ts";
import { checkControlToken } from "./control-token.ts";
import { crossCheck } from "./cross-check.ts";
import { readEnvironment } from "./env.ts";
import { mistypedEnvironmentNames } from "./env-names.ts";
import { readConfigFile } from "./file.ts";
import { type CommandLine, parseCommandLine } from "./flags.ts";
import { chooseSymbols, pick } from "./layers.ts";
import type { Layer, Problem } from "./raw.ts";
import { runnerConfigOf } from "./runner-config.ts";
import { SETTINGS } from "./settings.ts";
import { resolveSymbol } from "./symbol-config.ts";
import type { RunnerConfig } from "./types.ts";
import { setValued, type ValuedSettings, valuesOf } from "./valued.ts";

// The control API checks its values as configuration does, with these.
export { checkSetting } from "./check.ts";
export type { ResolvedSymbol, Valued } from "./valued.ts";

export interface ResolveInput {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface Resolved {
  readonly commandLine: CommandLine;
  /** Present when there are no problems. */
  readonly config?: RunnerConfig;
  readonly problems: readonly Problem[];
  /** The config file read (`--config` or MM_CONFIG), absolute; SIGHUP re-reads it. */
  readonly configFile?: string;
  /** Not wrong, but probably not meant (logged at start). */
  readonly warnings: readonly string[];
}

/**
 * Configuration from, highest first: flags, environment, config file (`--config` or
 * MM_CONFIG), defaults. Per-symbol settings of the config file win over global ones for
 * their symbol. Every problem is collected; none stops the others from being found.
 */
export function resolveConfig(input: ResolveInput): Resolved {
  const commandLine = parseCommandLine(input.argv);
  const environment = readEnvironment(input.env);
  const problems: Problem[] = [...commandLine.problems, ...environment.problems];
  const warnings: string[] = mistypedEnvironmentNames(input.env);

  const filePath = commandLine.configFile ?? nonEmpty(input.env.MM_CONFIG);
  const configFile = filePath === undefined ? undefined : resolvePath(input.cwd, filePath);
  const file = configFile === undefined ? undefined : readConfigFile(configFile);
  const fileShown = configFile === undefined ? {} : { configFile };
  if (file) problems.push(...file.problems);

  const layers: Layer[] = [commandLine.layer, environment.layer, file?.layer ?? new Map()];

  const global: ValuedSettings = {};
  for (const setting of SETTINGS) {
    const picked = pick(layers, setting);
    if (picked === undefined) continue;
    const checked = checkSetting(setting, picked.raw, problems, picked.source);
    if (checked !== undefined) setValued(global, setting.key, checked);
  }

  const symbols = chooseSymbols(layers, file?.symbols, global);
  if (file) {
    for (const symbol of file.symbols.keys()) {
      if (!symbols.includes(symbol)) {
        warnings.push(
          `${filePath}: symbols.${symbol} is not among the symbols quoted (${symbols.join(", ")}); its settings are not used`,
        );
      }
    }
  }

  const perSymbol = symbols.map((symbol) =>
    resolveSymbol(symbol, symbols.length, global, file?.symbols.get(symbol), problems),
  );

  problems.push(...crossCheck(global, perSymbol, input.cwd));
  const token = checkControlToken(global);
  problems.push(...token.problems);
  warnings.push(...token.warnings);

  if (problems.length > 0) return { commandLine, problems, warnings, ...fileShown };

  const origins: Record<string, string> = {};
  for (const [key, valued] of Object.entries(global)) origins[key] = valued.name;
  const config = runnerConfigOf({
    values: valuesOf(global),
    symbols: perSymbol.map((resolved) => resolved.config),
    origins,
    env: input.env,
    cwd: input.cwd,
  });
  return { commandLine, config, problems, warnings, ...fileShown };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
