import { execFileSync } from "node:child_process";
import { cpus, loadavg, release, totalmem } from "node:os";

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly kernel: string;
  /** 1-minute load average when the bench started (other work on the box skews figures). */
  readonly loadAverageAtStart: number;
  readonly gitCommit: string;
  /** Files changed in the working tree against that commit. */
  readonly gitChangedFiles: number;
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "";
  }
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  const status = git(["status", "--porcelain"]);
  return {
    cpuModel: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    kernel: release(),
    loadAverageAtStart: Math.round(loadavg()[0]! * 100) / 100,
    gitCommit: git(["rev-parse", "HEAD"]) || "unknown",
    gitChangedFiles: status === "" ? 0 : status.split("\n").length,
  };
}
