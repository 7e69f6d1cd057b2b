import { readFileSync } from "node:fs";
import * as v from "valibot";
import YAML, { Scalar } from "yaml";
import type { Layer, LayerKey, Problem } from "./raw.ts";
import { SETTINGS, SETTINGS_BY_KEY } from "./settings.ts";

export interface ConfigFile {
  /** Top-level settings. */
  readonly layer: Layer;
  /** `symbols: { "ETH-USDT": { orderSize: "0.1" } }`: per-symbol settings, by symbol. */
  readonly symbols: ReadonlyMap<string, Layer>;
  readonly problems: Problem[];
}

const SYMBOL_ONLY_KEYS = new Set(["book"]);

const ENV_TO_KEY: ReadonlyMap<string, string> = new Map(
  SETTINGS.flatMap((setting) =>
    [setting.env, ...(setting.aliases ?? [])].map((name) => [name, setting.key] as const),
  ),
);

const FileShape = v.record(v.string(), v.unknown());

/**
 * Reads a JSON or YAML config file (JSON is YAML). Numbers keep the digits the user
 * wrote: `orderSize: 0.10` is the string "0.10", never a float on the way to an order.
 */
export function readConfigFile(path: string): ConfigFile {
  const problems: Problem[] = [];
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return {
      layer: new Map(),
      symbols: new Map(),
      problems: [{ name: "--config", value: path, message: `cannot read the file (${reason})` }],
    };
  }
  const document = YAML.parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    return {
      layer: new Map(),
      symbols: new Map(),
      problems: document.errors.map((error) => ({
        name: path,
        message: `not valid JSON or YAML: ${error.message.split("\n")[0]}`,
      })),
    };
  }
  YAML.visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === "number" && node.source !== undefined) {
        return new Scalar(node.source);
      }
      return undefined;
    },
  });
  const content: unknown = document.toJS() ?? {};
  const shape = v.safeParse(FileShape, content);
  if (!shape.success) {
    return {
      layer: new Map(),
      symbols: new Map(),
      problems: [{ name: path, message: "must hold a mapping of settings, e.g. `numLevels: 5`" }],
    };
  }

  const layer: Layer = new Map();
  const symbols = new Map<string, Layer>();
  for (const [key, value] of Object.entries(shape.output)) {
    if (key === "symbols") {
      readSymbols(path, value, symbols, problems);
      continue;
    }
    const known = checkKey(path, key, key, false, problems);
    if (known) layer.set(key, { value, name: `${path}: ${key}` });
  }
  return { layer, symbols, problems };
}

function readSymbols(
  path: string,
  value: unknown,
  into: Map<string, Layer>,
  problems: Problem[],
): void {
  const parsed = v.safeParse(v.record(v.string(), FileShape), value);
  if (!parsed.success) {
    problems.push({
      name: `${path}: symbols`,
      message:
        'must map each symbol to its settings, e.g. symbols: { "ETH-USDT": { orderSize: "0.1" } }',
    });
    return;
  }
  for (const [symbol, settings] of Object.entries(parsed.output)) {
    const layer: Layer = new Map();
    for (const [key, raw] of Object.entries(settings)) {
      const where = `symbols.${symbol}.${key}`;
      if (checkKey(path, key, where, true, problems)) {
        layer.set(key, { value: raw, name: `${path}: ${where}` });
      }
    }
    into.set(symbol.toUpperCase(), layer);
  }
}

function checkKey(
  path: string,
  key: string,
  where: string,
  perSymbol: boolean,
  problems: Problem[],
): key is LayerKey {
  const setting = SETTINGS_BY_KEY.get(key);
  if (perSymbol && SYMBOL_ONLY_KEYS.has(key)) return true;
  if (setting === undefined) {
    const suggestion = ENV_TO_KEY.get(key);
    problems.push({
      name: `${path}: ${where}`,
      message:
        suggestion === undefined
          ? "unknown setting"
          : `unknown setting; the config file spells ${key} as ${suggestion}`,
    });
    return false;
  }
  if (perSymbol && setting.scope !== "symbol") {
    problems.push({
      name: `${path}: ${where}`,
      message: "applies to the whole runner, not to one symbol; set it at the top of the file",
    });
    return false;
  }
  return true;
}
