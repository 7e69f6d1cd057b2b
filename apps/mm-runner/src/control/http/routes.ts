import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { Counter, type Registry } from "prom-client";
import { ParamsRejected } from "../errors.ts";
import type { LiveParams } from "../live-params.ts";
import type { RunnerControl } from "../types.ts";
import type { AuditLine, ControlAction } from "./audit-line.ts";
import { createBearerCheck } from "./auth.ts";
import { clip, clipValue, jsonDepth, MAX_BODY_DEPTH } from "./clip.ts";
import { createFailureAudit } from "./failure-audit.ts";
import { createLoginThrottle, hostOfClient, type LoginThrottleOptions } from "./login-throttle.ts";
import { parseParamsRequest, parseSymbolRequest } from "./params.ts";

/** The largest control body read; a longer one is answered 413 and not read further. */
export const MAX_CONTROL_BODY_BYTES = 16 * 1024;

export interface ControlOptions {
  /** `CONTROL_TOKEN`: a secret; compared in constant time, never logged. */
  readonly token: string;
  readonly runner: RunnerControl;
  /**
   * Receives the audit line of every control call (the runner logs it at info/warn);
   * refused calls (401, 429) are one line per address per `failureAuditIntervalMs`.
   */
  readonly audit: (line: AuditLine) => void;
  /** Default 10 s. */
  readonly failureAuditIntervalMs?: number;
  /** Failed logins per address (see login-throttle.ts). */
  readonly throttle?: LoginThrottleOptions;
  /** Default `Date.now`. */
  readonly now?: () => number;
}

type Body = { ok: true; value: unknown } | { ok: false; problem: string };

async function readBody(c: Context): Promise<Body> {
  const text = await c.req.text();
  if (text.trim() === "") return { ok: true, value: undefined };
  if (jsonDepth(text) > MAX_BODY_DEPTH) {
    return { ok: false, problem: `body: nested deeper than ${MAX_BODY_DEPTH} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // V8's message quotes the text around the error: clipped like any echo.
    return { ok: false, problem: `body: not valid JSON (${clip((error as Error).message, 80)})` };
  }
}

/**
 * `/control/*`: pause, resume, the kill switch and live parameters. Every call needs
 * `Authorization: Bearer <token>`; without it nothing is read or changed.
 */
export function controlRoutes(
  options: ControlOptions,
  clientAddress: (c: Context) => string,
  report: (error: unknown) => void,
  extra: { readonly registry?: Registry; readonly signal?: AbortSignal } = {},
): Hono {
  const authorized = createBearerCheck(options.token);
  const { runner } = options;
  const routes = new Hono();
  const now = options.now ?? Date.now;
  const throttle = createLoginThrottle(options.throttle);
  const refusals = createFailureAudit(options.audit, options.failureAuditIntervalMs);
  extra.signal?.addEventListener("abort", () => refusals.stop(), { once: true });
  const authFailures = authFailureCounter(extra.registry);

  const answer = (
    c: Context,
    action: ControlAction,
    status: number,
    outcome: AuditLine["outcome"],
    body: unknown,
    extra: { symbol?: string | undefined; values?: LiveParams } = {},
  ): Response => {
    options.audit({
      action,
      ...(extra.symbol === undefined ? {} : { symbol: extra.symbol }),
      ...(extra.values === undefined ? {} : { values: clipValues(extra.values) }),
      outcome,
      status,
      client: clientAddress(c),
      detail: body,
    });
    return c.json(body as object, status as 200);
  };

  const ACTIONS: Record<string, ControlAction> = {
    "POST /control/pause": "pause",
    "POST /control/resume": "resume",
    "POST /control/cancel-all": "cancel-all",
    "PATCH /control/params": "params-update",
    "GET /control/params": "params-read",
    "HEAD /control/params": "params-read",
  };

  /** A refused call: counted, audited once per address per interval, answered. */
  const refuse = (
    c: Context,
    action: ControlAction,
    address: string,
    status: 401 | 429,
    body: object,
    headers: Record<string, string> = {},
  ): Response => {
    const outcome = status === 401 ? "unauthorized" : "throttled";
    authFailures?.inc({ outcome });
    refusals.record(address, { action, outcome, status, client: clientAddress(c), detail: body });
    return c.json(body, status, headers);
  };

  routes.use("*", async (c, next) => {
    const action = ACTIONS[`${c.req.method} ${c.req.path}`];
    if (action === undefined) return next(); // 404 or 405 below
    const address = hostOfClient(clientAddress(c));
    const waitMs = throttle.retryInMs(address, now());
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      return refuse(
        c,
        action,
        address,
        429,
        { error: `too many failed logins from ${address}; try again in ${seconds} s` },
        { "retry-after": String(seconds) },
      );
    }
    if (!authorized(c.req.header("authorization"))) {
      throttle.failed(address, now());
      return refuse(c, action, address, 401, {
        error: "unauthorized: send Authorization: Bearer <CONTROL_TOKEN>",
      });
    }
    throttle.succeeded(address);
    // Read only once authorized, and never more than the limit (413 from the header alone
    // when it says so, else as soon as the stream passes it).
    return bodyLimit({
      maxSize: MAX_CONTROL_BODY_BYTES,
      onError: (limited) =>
        answer(limited, action, 413, "too-large", {
          error: `body larger than ${MAX_CONTROL_BODY_BYTES} bytes`,
        }),
    })(c, next);
  });

  /** 404 naming the symbol when it is not one of ours. */
  const unknown = (symbol: string | undefined): string | undefined =>
    symbol === undefined || runner.symbols().includes(symbol)
      ? undefined
      : `unknown symbol ${symbol} (quoting: ${runner.symbols().join(", ")})`;

  const failed = (c: Context, action: ControlAction, error: unknown, symbol?: string) => {
    report(error);
    return answer(c, action, 500, "failed", { error: (error as Error).message }, { symbol });
  };

  for (const action of ["pause", "resume"] as const) {
    routes.post(`/${action}`, async (c) => {
      const body = await readBody(c);
      if (!body.ok) return answer(c, action, 400, "invalid", { problems: [body.problem] });
      const request = parseSymbolRequest(body.value);
      if (!request.ok) return answer(c, action, 400, "invalid", { problems: request.problems });
      const missing = unknown(request.symbol);
      if (missing) return answer(c, action, 404, "not-found", { error: missing }, request);
      try {
        const result = await runner[action](request.symbol, c.req.raw.signal);
        return answer(c, action, 200, "ok", result, request);
      } catch (error) {
        return failed(c, action, error, request.symbol);
      }
    });
  }

  routes.post("/cancel-all", async (c) => {
    try {
      return answer(c, "cancel-all", 200, "ok", await runner.cancelAll(c.req.raw.signal));
    } catch (error) {
      return failed(c, "cancel-all", error);
    }
  });

  routes.get("/params", async (c) => {
    const symbol = c.req.query("symbol")?.toUpperCase();
    const missing = unknown(symbol);
    if (missing) return answer(c, "params-read", 404, "not-found", { error: missing }, { symbol });
    const all = await runner.params();
    const params = symbol === undefined ? all : all.filter((each) => each.symbol === symbol);
    // Reads are audited too, but the line carries no values (they are on the page anyway).
    options.audit({
      action: "params-read",
      ...(symbol === undefined ? {} : { symbol }),
      outcome: "ok",
      status: 200,
      client: clientAddress(c),
    });
    return c.json({ symbols: params });
  });

  routes.patch("/params", async (c) => {
    const body = await readBody(c);
    if (!body.ok) return answer(c, "params-update", 400, "invalid", { problems: [body.problem] });
    const request = parseParamsRequest(body.value);
    if (!request.ok) {
      return answer(c, "params-update", 400, "invalid", { problems: request.problems });
    }
    const extra = { symbol: request.symbol, values: request.values };
    const missing = unknown(request.symbol);
    if (missing) return answer(c, "params-update", 404, "not-found", { error: missing }, extra);
    try {
      const symbols = await runner.updateParams(request.symbol, request.values, c.req.raw.signal);
      return answer(c, "params-update", 200, "ok", { symbols }, extra);
    } catch (error) {
      if (error instanceof ParamsRejected) {
        return answer(c, "params-update", 400, "rejected", { problems: error.problems }, extra);
      }
      return failed(c, "params-update", error, request.symbol);
    }
  });

  return routes;
}

/** `mm_control_auth_failures_total`, once per registry (several apps may share one in tests). */
function authFailureCounter(registry: Registry | undefined): Counter<"outcome"> | undefined {
  if (registry === undefined) return undefined;
  const name = "mm_control_auth_failures_total";
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<"outcome">;
  return new Counter({
    name,
    help: "Control API calls refused before authentication: unauthorized (wrong or no token) or throttled (too many failures from the address)",
    labelNames: ["outcome"],
    registers: [registry],
  });
}

/** Checked values are short once checked; the audit line holds to "never echo long" anyway. */
function clipValues(values: LiveParams): LiveParams {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, clipValue(value)]),
  ) as LiveParams;
}
