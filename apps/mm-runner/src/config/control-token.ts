import type { Problem } from "./raw.ts";
import { hostOf } from "./schemas.ts";
import type { ValuedSettings } from "./valued.ts";

/** Shorter tokens can be guessed online; 16 random characters cannot. */
export const MIN_CONTROL_TOKEN_LENGTH = 16;

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  return name === "localhost" || name === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * CONTROL_TOKEN against where the control API listens: too short is refused on an address
 * others can reach and warned about on loopback. The token itself is never shown.
 */
export function checkControlToken(global: ValuedSettings): {
  problems: Problem[];
  warnings: string[];
} {
  const token = global.controlToken;
  const addr = global.metricsAddr;
  const problems: Problem[] = [];
  const warnings: string[] = [];
  if (token === undefined || addr === undefined) return { problems, warnings };
  const length = token.value.length;
  if (length >= MIN_CONTROL_TOKEN_LENGTH) return { problems, warnings };
  // METRICS_ADDR passed its schema: host:port, or off (no ops server, no control API).
  const host = hostOf(addr.value);
  if (host === undefined) return { problems, warnings };
  const what = `${token.name} is ${length} character${length === 1 ? "" : "s"} long; use at least ${MIN_CONTROL_TOKEN_LENGTH} random ones (e.g. openssl rand -hex 16)`;
  if (isLoopbackHost(host)) {
    warnings.push(
      `WEAK CONTROL TOKEN: ${what}. Accepted only because ${addr.name}=${addr.value} is loopback; it is refused on any other address`,
    );
  } else {
    problems.push({
      name: token.name,
      message: `is too short for a control API on ${addr.name}=${addr.value}, which other machines can reach: ${what}`,
    });
  }
  return { problems, warnings };
}
