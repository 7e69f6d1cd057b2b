import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { helpText } from "../src/config/help.ts";
import { resolveConfig } from "../src/config/resolve.ts";
import { flagsOf, SETTING, SETTINGS } from "../src/config/settings.ts";

describe("the settings' tables", () => {
  it("give every default a value its own schema accepts", () => {
    for (const setting of SETTINGS) {
      if (setting.default === undefined) continue;
      const result = v.safeParse(setting.schema, setting.default);
      expect(result.success, `${setting.env} (default) ${setting.default}`).toBe(true);
    }
  });

  it("give every setting its own environment names, flags and config-file key", () => {
    const envs = SETTINGS.flatMap((setting) => [setting.env, ...(setting.aliases ?? [])]);
    const flags = SETTINGS.flatMap(flagsOf);
    expect(new Set(envs).size).toBe(envs.length);
    expect(new Set(flags).size).toBe(flags.length);
    expect(SETTINGS.map((setting) => setting.key)).toEqual(Object.keys(SETTING));
    expect(SETTING.numLevels.env).toBe("NUM_LEVELS");
    expect(SETTINGS.find((setting) => setting.key === "numLevels")?.flag).toBe("--num-levels");
  });

  it("are what --help lists, each with its flag, file key, default and help", () => {
    const help = helpText();
    for (const setting of SETTINGS) {
      expect(help).toContain(`${flagsOf(setting).join(", ")}  [file: ${setting.key}]`);
      expect(help).toContain(setting.help);
    }
  });

  it("resolve each setting to its schema's output, under its own key", () => {
    const resolved = resolveConfig({
      argv: ["--matchingo-tls", "--num-levels", "4", "--log-level", "DEBUG"],
      env: { UPDATE_INTERVAL_SECONDS: "0.5", PRICE_SOURCES: "kraken, synthetic", HOME: "/h" },
      cwd: "/tmp",
    });
    expect(resolved.problems).toEqual([]);
    const config = resolved.config!;
    expect(config.matchingoTls).toBe(true);
    expect(config.logLevel).toBe("debug");
    expect(config.priceSources).toEqual(["kraken", "synthetic"]);
    expect(config.symbols[0]?.numLevels).toBe(4);
    expect(config.symbols[0]?.updateIntervalMs).toBe(500);
    expect(config.origins.matchingoTls).toBe("--matchingo-tls");
    expect(config.symbols[0]?.origins.updateIntervalSeconds).toBe("UPDATE_INTERVAL_SECONDS");
  });
});
