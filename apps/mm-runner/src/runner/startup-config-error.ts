import type { Problem } from "../config/raw.ts";

/** The configuration cannot work (found at start, against the venue or the first price). */
export class StartupConfigError extends Error {
  override readonly name = "StartupConfigError";
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(`${problems.length} configuration problem(s)`);
    this.problems = problems;
  }
}
