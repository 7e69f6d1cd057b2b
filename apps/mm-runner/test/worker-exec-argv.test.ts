import { expect, it } from "vitest";
import { workerExecArgv } from "../src/workers/host/exec-argv.ts";

it("built: gives no list, so the worker inherits every flag, V8's included", () => {
  expect(workerExecArgv(["--max-semi-space-size=1", "--enable-source-maps"])).toEqual({});
  expect(workerExecArgv([])).toEqual({});
});

it("from source: takes tsx's loader out, and the V8 flags Node refuses in an explicit list", () => {
  expect(
    workerExecArgv([
      "--import",
      "/repo/node_modules/tsx/dist/loader.mjs",
      "--max-old-space-size=512",
      "--max_semi_space_size=2",
      "--import",
      "./crash-hook.mjs",
      "--enable-source-maps",
    ]),
  ).toEqual({ execArgv: ["--import", "./crash-hook.mjs", "--enable-source-maps"] });
  expect(workerExecArgv(["--import=tsx", "--stack-size=2000"])).toEqual({ execArgv: [] });
});
