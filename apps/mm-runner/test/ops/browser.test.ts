import { existsSync } from "node:fs";
import { expect, it } from "vitest";
import { chromiumPath } from "./browser.ts";

it("with no system Chromium, the browser tests use the one shipped in the @sparticuz/chromium package", async () => {
  const path = await chromiumPath({ CHROMIUM_SYSTEM_PATHS: "" });
  expect(path).not.toMatch(/^\/usr\/bin\//);
  expect(existsSync(path)).toBe(true);
});

it("a system Chromium is preferred; CHROMIUM_PATH beats both and must exist", async () => {
  // Any executable stands in for a system Chromium here: only the lookup is tested.
  expect(await chromiumPath({ CHROMIUM_SYSTEM_PATHS: `/nonexistent:${process.execPath}` })).toBe(
    process.execPath,
  );
  expect(await chromiumPath({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
  await expect(chromiumPath({ CHROMIUM_PATH: "/nonexistent/chromium" })).rejects.toThrow(
    "CHROMIUM_PATH=/nonexistent/chromium: no such file",
  );
});
