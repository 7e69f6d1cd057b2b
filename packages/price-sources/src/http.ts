import type { CallOptions, Clock } from "@matchingo-mm/core";
import { PriceError } from "@matchingo-mm/core";
import ky, { isHTTPError, isTimeoutError, type KyInstance } from "ky";
import { parseRetryAfter } from "./retry-after.ts";

export const DEFAULT_USER_AGENT = "matchingo-market-maker/0.1";
export const DEFAULT_TIMEOUT_MS = 3000;
/** A ticker answer is a few hundred bytes; anything near this is not one. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** What every exchange adapter accepts about talking HTTP. */
export interface HttpOptions {
  /** Where the exchange's REST API lives; tests point it at 127.0.0.1. */
  readonly baseUrl?: string;
  /** Whole request, headers and body, in ms. Default 3000. */
  readonly timeoutMs?: number;
  /**
   * Extra attempts on 5xx and network errors (never on 429/418), default 0: the chain
   * fails over instead. Only raise it when `retry * timeoutMs` fits one update interval.
   */
  readonly retry?: number;
  /** Delay between those attempts, default 100 ms. */
  readonly retryDelayMs?: number;
  /** A `fetch` to use instead of the global one (tests, special runtimes). */
  readonly fetch?: (input: Request | URL | string, init?: RequestInit) => Promise<Response>;
  /** Sent on every request; some exchanges refuse requests without one. */
  readonly userAgent?: string;
  /**
   * The most bytes read from an answer, default 1 MiB: past it (or a `Content-Length`
   * above it) the answer is refused as bad-payload and the rest is never read.
   */
  readonly maxBodyBytes?: number;
}

export interface HttpConfig extends HttpOptions {
  readonly source: string;
  readonly baseUrl: string;
  readonly clock: Clock;
  /** How long to stay away after a 429 without a readable `Retry-After`. */
  readonly defaultRetryAfterMs: number;
  /** The same for 418 (Binance's ban), which lasts minutes to days. */
  readonly defaultBanMs: number;
}

export interface JsonAnswer {
  readonly status: number;
  /** The parsed JSON body. */
  readonly body: unknown;
  readonly headers: Headers;
}

export interface HttpClient {
  /**
   * GETs `pathAndQuery` under the base URL and parses JSON. Rejects with a `PriceError`:
   * unreachable, timeout, aborted, rate-limited (429/418), http-status (5xx, or a 4xx
   * that is not JSON), bad-payload (a 2xx that is not JSON). A 4xx with a JSON body is
   * answered, for the adapter to read the exchange's own error.
   */
  getJson(pathAndQuery: string, options?: CallOptions): Promise<JsonAnswer>;
}

export function checkBaseUrl(source: string, baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new TypeError(`${source}: baseUrl ${JSON.stringify(baseUrl)} is not a URL`, { cause });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`${source}: baseUrl ${JSON.stringify(baseUrl)} must be http or https`);
  }
  return baseUrl.replace(/\/+$/, "");
}

function checkTimeout(source: string, timeoutMs: number): number {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`${source}: timeoutMs must be a positive number, got ${timeoutMs}`);
  }
  return timeoutMs;
}

export function createHttpClient(config: HttpConfig): HttpClient {
  const { source, clock } = config;
  const baseUrl = checkBaseUrl(source, config.baseUrl);
  const timeoutMs = checkTimeout(source, config.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const retry = config.retry ?? 0;
  const retryDelayMs = config.retryDelayMs ?? 100;
  const maxBodyBytes = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const client: KyInstance = ky.create({
    timeout: timeoutMs,
    retry: {
      limit: retry,
      methods: ["get"],
      statusCodes: [500, 502, 503, 504],
      afterStatusCodes: [],
      delay: () => retryDelayMs,
    },
    headers: {
      accept: "application/json",
      "user-agent": config.userAgent ?? DEFAULT_USER_AGENT,
    },
    ...(config.fetch ? { fetch: config.fetch } : {}),
  });

  async function getJson(pathAndQuery: string, options: CallOptions = {}): Promise<JsonAnswer> {
    const url = `${baseUrl}${pathAndQuery}`;
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw aborted(url, callerSignal.reason);
    // ky's timeout ends when the headers arrive; this deadline also covers the body.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException("deadline", "TimeoutError")),
      timeoutMs * (retry + 1) + retryDelayMs * retry,
    );
    const signal = callerSignal
      ? AbortSignal.any([callerSignal, deadline.signal])
      : deadline.signal;
    try {
      let response: Response;
      try {
        response = await client.get(url, { signal });
      } catch (error) {
        if (isHTTPError(error)) response = error.response;
        else throw error;
      }
      const text = await readBody(response, url);
      return interpret(response, text, url);
    } catch (error) {
      if (error instanceof PriceError) throw error;
      if (callerSignal?.aborted) throw aborted(url, error);
      if (deadline.signal.aborted || isTimeoutError(error)) {
        throw new PriceError(`${source}: no answer within ${timeoutMs} ms from ${url}`, {
          kind: "timeout",
          source,
          cause: error,
        });
      }
      throw new PriceError(`${source}: cannot reach ${url}: ${describe(error)}`, {
        kind: "unreachable",
        source,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The answer's text, read up to `maxBodyBytes`: a huge answer is cut off, never held whole. */
  async function readBody(response: Response, url: string): Promise<string> {
    const tooLarge = (read: string) =>
      new PriceError(
        `${source}: the answer from ${url} is larger than ${maxBodyBytes} bytes (${read}); refused unread`,
        { kind: response.ok ? "bad-payload" : "http-status", source, status: response.status },
      );
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    if (declared > maxBodyBytes) {
      await response.body?.cancel().catch(() => {});
      throw tooLarge(`Content-Length ${declared}`);
    }
    if (!response.body) return "";
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBodyBytes) {
          await reader.cancel().catch(() => {});
          throw tooLarge(`${size} bytes read so far`);
        }
        text += decoder.decode(value, { stream: true });
      }
      return text + decoder.decode();
    } catch (error) {
      if (error instanceof PriceError) throw error;
      if (
        error instanceof Error &&
        (error.name === "AbortError" || error.name === "TimeoutError")
      ) {
        throw error;
      }
      throw new PriceError(`${source}: connection lost while reading ${url}`, {
        kind: "unreachable",
        source,
        status: response.status,
        cause: error,
      });
    }
  }

  function interpret(response: Response, text: string, url: string): JsonAnswer {
    const { status, headers } = response;
    if (status === 429 || status === 418) {
      const retryAfterMs =
        parseRetryAfter(headers.get("retry-after"), clock.now()) ??
        (status === 418 ? config.defaultBanMs : config.defaultRetryAfterMs);
      throw new PriceError(
        `${source}: rate limited (HTTP ${status}), leaving it alone for ${retryAfterMs} ms`,
        { kind: "rate-limited", source, status, retryAfterMs, cause: excerpt(text) },
      );
    }
    if (status >= 500 || status < 200 || (status >= 300 && status < 400)) {
      throw new PriceError(`${source}: HTTP ${status} from ${url}`, {
        kind: "http-status",
        source,
        status,
        cause: excerpt(text),
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      const error = new PriceError(
        `${source}: HTTP ${status} from ${url} is not JSON: ${JSON.stringify(excerpt(text))}`,
        { kind: status < 300 ? "bad-payload" : "http-status", source, status, cause },
      );
      throw error;
    }
    return { status, body, headers };
  }

  function aborted(url: string, cause: unknown): PriceError {
    return new PriceError(`${source}: request to ${url} aborted`, {
      kind: "aborted",
      source,
      cause,
    });
  }

  return { getJson };
}

function excerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
