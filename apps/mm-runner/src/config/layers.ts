import type { Layer, RawValue } from "./raw.ts";
import type { Setting } from "./settings.ts";
import type { ValueSource } from "./types.ts";
import type { ValuedSettings } from "./valued.ts";

/** The layers' sources, in the order `resolveConfig` stacks them: flags, environment, file. */
const LAYER_SOURCES: readonly ValueSource[] = ["flag", "env", "file"];

export interface Picked {
  readonly raw: RawValue;
  readonly source: ValueSource;
}

/** A setting's value from the highest layer that has it, else its default. */
export function pick(layers: readonly Layer[], setting: Setting): Picked | undefined {
  for (const [index, layer] of layers.entries()) {
    const raw = layer.get(setting.key);
    if (raw !== undefined) return { raw, source: LAYER_SOURCES[index]! };
  }
  return setting.default === undefined
    ? undefined
    : { raw: { value: setting.default, name: `${setting.env} (default)` }, source: "default" };
}

const DEFAULT_SYMBOL = "BTC-USDT";

/** The highest layer that names the symbols decides them; MARKET_SYMBOLS beats MARKET_SYMBOL. */
export function chooseSymbols(
  layers: readonly Layer[],
  fileSymbols: ReadonlyMap<string, Layer> | undefined,
  global: ValuedSettings,
): string[] {
  // When the chosen value is invalid (already reported), the default symbol stands in so
  // the per-symbol checks still run and report everything at once.
  const fallback = [global.marketSymbol?.value ?? DEFAULT_SYMBOL];
  for (const layer of layers) {
    if (layer.has("marketSymbols")) return global.marketSymbols?.value ?? fallback;
    if (layer.has("marketSymbol")) {
      const single = global.marketSymbol?.value;
      return single === undefined ? [DEFAULT_SYMBOL] : [single];
    }
  }
  if (fileSymbols !== undefined && fileSymbols.size > 0) return [...fileSymbols.keys()];
  return fallback;
}
