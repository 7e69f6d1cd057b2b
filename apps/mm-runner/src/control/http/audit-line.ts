import type { LiveParams } from "../live-params.ts";

export type ControlAction = "pause" | "resume" | "cancel-all" | "params-update" | "params-read";

/** One line per control call; the token is never part of it. */
export interface AuditLine {
  readonly action: ControlAction;
  /** Absent: every symbol. */
  readonly symbol?: string;
  readonly values?: LiveParams;
  readonly outcome:
    | "ok"
    | "unauthorized"
    | "throttled"
    | "invalid"
    | "too-large"
    | "not-found"
    | "rejected"
    | "failed";
  readonly status: number;
  /** The caller's address (host:port). */
  readonly client: string;
  /** What came back or what was wrong. */
  readonly detail?: unknown;
  /** Refused calls from one address, counted together over an interval (see failure-audit.ts). */
  readonly count?: number;
}
