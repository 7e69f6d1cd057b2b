import type { Layer, Problem } from "./raw.ts";
import { SETTINGS } from "./settings.ts";

/**
 * The settings found in the environment. An alias (`SPREAD_PERCENT`) counts as its
 * setting; the canonical name and an alias with different values is a problem, not a guess.
 */
export function readEnvironment(env: Readonly<Record<string, string | undefined>>): {
  layer: Layer;
  problems: Problem[];
} {
  const layer: Layer = new Map();
  const problems: Problem[] = [];
  for (const setting of SETTINGS) {
    for (const name of [setting.env, ...(setting.aliases ?? [])]) {
      const value = env[name];
      // An empty variable is how shells and compose files say "unset".
      if (value === undefined || value === "") continue;
      const earlier = layer.get(setting.key);
      if (earlier === undefined) {
        layer.set(setting.key, { value, name });
      } else if (earlier.value !== value) {
        problems.push({
          name,
          value,
          message: `conflicts with ${earlier.name}=${JSON.stringify(earlier.value)} (same setting); set only one`,
        });
      }
    }
  }
  return { layer, problems };
}
