import { expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.ts";
import { REDACTED_PATHS } from "../../src/log/logger.ts";

it("reads CONTROL_TOKEN (absent by default: no control API) and keeps it out of logs", () => {
  const off = resolveConfig({ argv: [], env: {}, cwd: "/tmp" });
  expect(off.config?.controlToken).toBeUndefined();
  const on = resolveConfig({ argv: [], env: { CONTROL_TOKEN: "t0ken" }, cwd: "/tmp" });
  expect(on.config?.controlToken).toBe("t0ken");
  expect(on.config?.origins.controlToken).toBe("CONTROL_TOKEN");
  expect(REDACTED_PATHS).toContain("controlToken");
});
