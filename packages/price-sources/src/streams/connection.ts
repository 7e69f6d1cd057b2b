import type { Clock } from "@matchingo-mm/core";
import { callListener, systemClock } from "@matchingo-mm/core";
import { StreamError } from "./errors.ts";
import {
  messageText,
  type WebSocketConstructor,
  type WebSocketLike,
  webSocketConstructor,
} from "./socket.ts";
import type {
  PriceStream,
  StreamEvent,
  StreamEventListener,
  StreamQuote,
  StreamStats,
} from "./types.ts";

/** Options every stream adapter takes. */
export interface StreamOptions {
  /** The WebSocket endpoint; defaults to the exchange's public one. */
  readonly url?: string;
  /** Shown as `quote.source`, in events and errors. Defaults to the exchange's name. */
  readonly name?: string;
  /** No frame at all (data or heartbeat) for this long is a dead connection. Default 5000. */
  readonly staleMs?: number;
  /** Reconnect back-off: first delay, growth ×2 per failed attempt, cap; each ± jitter. */
  readonly reconnect?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Canonical symbol → the exchange's symbol, where the rules do not fit. */
  readonly symbolOverrides?: Readonly<Record<string, string>>;
  readonly onEvent?: StreamEventListener;
  readonly clock?: Clock;
  /** The WebSocket class to use; default: the runtime's, else the `ws` package. */
  readonly WebSocket?: WebSocketConstructor;
  /** Jitter source in [0, 1); default Math.random. */
  readonly random?: () => number;
}

/** What an exchange protocol may do while handling a frame. */
export interface ProtocolIO {
  readonly name: string;
  now(): number;
  /** The canonical symbol of a tracked exchange symbol, else undefined. */
  canonical(exchangeSymbol: string): string | undefined;
  quote(quote: Omit<StreamQuote, "source" | "receivedAt">): void;
  /** A frame refused: reported, counted, never a price. */
  reject(error: StreamError): void;
  /** Numbered messages skipped from `expected` to `got`. */
  gap(symbol: string, expected: string, got: string): void;
  /** The exchange acknowledged these (canonical) symbols. */
  subscribed(symbols: readonly string[]): void;
  /** Any frame that proves the connection alive (heartbeats included). */
  heard(): void;
  send(text: string): void;
  /** The exchange announced a shutdown: reconnect now, before it drops us. */
  restart(reason: StreamError): void;
}

export interface StreamProtocol {
  readonly exchange: string;
  readonly defaultUrl: string;
  /** The exchange's stream symbol for a canonical symbol. */
  toExchange(symbol: string, overrides: Readonly<Record<string, string>>): string;
  /** The frames that subscribe `exchangeSymbols` on the open connection. */
  subscribe(exchangeSymbols: readonly string[], nextId: () => number): string[];
  /** Handles one text frame. */
  handle(text: string, io: ProtocolIO): void;
  /** Per-connection state to forget on reconnect (sequence numbers). */
  reset?(): void;
}

const OPEN = 1;
/** Subscribe frames are at least this far apart (Binance allows 5 messages a second). */
const SUBSCRIBE_SPACING_MS = 250;

/**
 * One managed connection for a protocol: connects on the first `track`, subscribes every
 * tracked symbol on each (re)connect, reconnects with exponential back-off and jitter,
 * closes a connection silent for `staleMs`, and reports everything as events.
 */
export function createStream(protocol: StreamProtocol, options: StreamOptions = {}): PriceStream {
  const name = options.name ?? protocol.exchange;
  const url = options.url ?? protocol.defaultUrl;
  const clock = options.clock ?? systemClock;
  const staleMs = options.staleMs ?? 5000;
  if (!(Number.isFinite(staleMs) && staleMs > 0)) {
    throw new TypeError(`${name} stream: staleMs must be a positive number, got ${staleMs}`);
  }
  const initialMs = options.reconnect?.initialMs ?? 250;
  const maxMs = options.reconnect?.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const overrides = options.symbolOverrides ?? {};

  const tracked = new Map<string, string>(); // canonical → exchange
  const byExchange = new Map<string, string>(); // exchange → canonical
  const quotes = new Map<string, StreamQuote>();
  const listeners = new Set<(quote: StreamQuote) => void>();

  let socket: WebSocketLike | undefined;
  let generation = 0;
  let open = false;
  let acknowledged = false;
  /** A frame arrived on the current connection. */
  let heardSinceOpen = false;
  let closed = false;
  let started = false;
  let failures = 0;
  let nextId = 1;
  let connects = 0;
  let reconnects = 0;
  let gaps = 0;
  let rejected = 0;
  let lastMessageAt: number | undefined;
  let lastActivityAt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  const queued = new Set<string>();
  let lastSubscribeAt = Number.NEGATIVE_INFINITY;
  let staleTimer: ReturnType<typeof setInterval> | undefined;

  function emit(event: StreamEvent): void {
    // A listener's bug must not cost the stream.
    callListener(options.onEvent, event);
  }

  function report(error: StreamError): void {
    emit({ type: "stream-error", stream: name, error });
  }

  const io: ProtocolIO = {
    name,
    now: () => clock.now(),
    canonical: (exchangeSymbol) => byExchange.get(exchangeSymbol),
    quote(fields) {
      failures = 0;
      const quote: StreamQuote = { ...fields, source: name, receivedAt: clock.now() };
      quotes.set(quote.symbol, quote);
      for (const listener of listeners) {
        // One listener's bug must not starve the others.
        callListener(listener, quote);
      }
    },
    reject(error) {
      rejected += 1;
      report(error);
    },
    gap(symbol, expected, got) {
      gaps += 1;
      report(
        new StreamError(`${name}: sequence gap on ${symbol}: expected ${expected}, got ${got}`, {
          kind: "gap",
          exchange: name,
          symbol,
        }),
      );
    },
    subscribed(symbols) {
      acknowledged = true;
      failures = 0;
      emit({ type: "stream-subscribed", stream: name, symbols });
    },
    heard() {
      heardSinceOpen = true;
      const now = clock.now();
      lastMessageAt = now;
      lastActivityAt = now;
    },
    send(text) {
      if (socket && socket.readyState === OPEN) socket.send(text);
    },
    restart(reason) {
      report(reason);
      drop(reason.message, 0);
    },
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const attempt = failures;
    const mine = ++generation;
    open = false;
    acknowledged = false;
    protocol.reset?.();
    // Quotes of an earlier connection may be outdated: the new one's snapshot replaces them.
    quotes.clear();
    lastActivityAt = clock.now();
    emit({ type: "stream-connecting", stream: name, url, attempt });
    let ws: WebSocketLike;
    try {
      const Ctor = options.WebSocket ?? (await webSocketConstructor());
      if (closed || mine !== generation) return;
      ws = new Ctor(url);
    } catch (cause) {
      lost(mine, `cannot open ${url}: ${cause instanceof Error ? cause.message : String(cause)}`);
      return;
    }
    socket = ws;
    ws.addEventListener("open", () => {
      if (mine !== generation) return;
      open = true;
      heardSinceOpen = false;
      connects += 1;
      lastActivityAt = clock.now();
      emit({ type: "stream-connected", stream: name, url });
      // Everything tracked, in one frame; whatever was queued for the old socket is in it.
      clearTimeout(flushTimer);
      flushTimer = undefined;
      queued.clear();
      sendSubscribe([...tracked.values()]);
    });
    ws.addEventListener("message", (event) => {
      if (mine !== generation) return;
      const text = messageText(event.data);
      io.heard();
      if (text === undefined) {
        io.reject(
          new StreamError(`${name}: a binary frame`, { kind: "malformed", exchange: name }),
        );
        return;
      }
      try {
        protocol.handle(text, io);
      } catch (cause) {
        io.reject(
          cause instanceof StreamError
            ? cause
            : new StreamError(`${name}: cannot read a frame: ${String(cause)}`, {
                kind: "malformed",
                exchange: name,
                frame: text,
                cause,
              }),
        );
      }
    });
    ws.addEventListener("error", () => {
      // The close event that follows says what happened.
    });
    ws.addEventListener("close", (event) => {
      lost(mine, `closed (${event.code}${event.reason ? ` ${event.reason}` : ""})`);
    });
  }

  function sendSubscribe(exchangeSymbols: string[]): void {
    if (!open || exchangeSymbols.length === 0) return;
    lastSubscribeAt = clock.now();
    for (const frame of protocol.subscribe(exchangeSymbols, () => nextId++)) io.send(frame);
  }

  /**
   * Symbols tracked while connected are gathered and subscribed in one frame, at most one
   * frame per `SUBSCRIBE_SPACING_MS`: Binance drops a connection that sends more than 5
   * messages a second, and workers asking for their symbols one by one would.
   */
  function queueSubscribe(exchangeSymbols: string[]): void {
    for (const symbol of exchangeSymbols) queued.add(symbol);
    if (flushTimer !== undefined || queued.size === 0) return;
    const wait = Math.max(0, lastSubscribeAt + SUBSCRIBE_SPACING_MS - clock.now());
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      const batch = [...queued];
      queued.clear();
      sendSubscribe(batch);
    }, wait);
  }

  /** The socket of generation `mine` is gone: schedule the next attempt. */
  function lost(mine: number, reason: string): void {
    if (mine !== generation || closed) return;
    generation += 1;
    // A connection that delivered something was good: come back quickly (with jitter, so
    // many processes cut at once do not return at once). One that opened and closed
    // without a word counts as a failed attempt, so a server that does that is not hammered.
    const wasGood = open && (acknowledged || heardSinceOpen);
    open = false;
    acknowledged = false;
    socket = undefined;
    if (!wasGood) failures += 1;
    schedule(reason, wasGood ? Math.round(initialMs * random()) : backoff());
  }

  /** We end the connection ourselves (stale, shutdown) and reconnect after `delayMs`. */
  function drop(reason: string, delayMs: number): void {
    const old = socket;
    generation += 1;
    open = false;
    acknowledged = false;
    socket = undefined;
    try {
      old?.close(4000, reason.slice(0, 100));
    } catch {
      // Closing a socket that is still connecting may throw on some runtimes.
    }
    schedule(reason, delayMs);
  }

  function backoff(): number {
    const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
    return Math.round(base * (0.5 + random() / 2));
  }

  function schedule(reason: string, delayMs: number): void {
    if (closed) return;
    reconnects += 1;
    emit({ type: "stream-disconnected", stream: name, reason, reconnects, reconnectInMs: delayMs });
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => void connect(), delayMs);
  }

  function checkStale(): void {
    if (closed || !started || socket === undefined) return; // not started, or waiting to reconnect
    const silent = clock.now() - lastActivityAt;
    if (silent < staleMs) return;
    const error = new StreamError(
      `${name}: ${open ? "no data and no heartbeat" : "no connection"} for ${silent} ms`,
      { kind: "stale", exchange: name },
    );
    report(error);
    if (!open) failures += 1;
    drop(error.message, open ? 0 : backoff());
  }

  function start(): void {
    if (started || closed) return;
    started = true;
    staleTimer = setInterval(checkStale, Math.max(10, Math.min(1000, Math.floor(staleMs / 5))));
    void connect();
  }

  return {
    name,
    track(symbols) {
      const added: string[] = [];
      for (const symbol of symbols) {
        if (tracked.has(symbol)) continue;
        let exchangeSymbol: string;
        try {
          exchangeSymbol = protocol.toExchange(symbol, overrides);
        } catch (cause) {
          report(
            new StreamError(`${name}: cannot subscribe ${symbol}: ${String(cause)}`, {
              kind: "subscribe-failed",
              exchange: name,
              symbol,
              cause,
            }),
          );
          continue;
        }
        tracked.set(symbol, exchangeSymbol);
        byExchange.set(exchangeSymbol, symbol);
        added.push(exchangeSymbol);
      }
      if (!started) start();
      else queueSubscribe(added);
    },
    quote: (symbol) => quotes.get(symbol),
    isUp: () =>
      open &&
      (acknowledged || lastMessageAt !== undefined) &&
      lastMessageAt !== undefined &&
      clock.now() - lastMessageAt < staleMs,
    onQuote(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats(): StreamStats {
      return {
        up: open && lastMessageAt !== undefined && clock.now() - lastMessageAt < staleMs,
        connects,
        reconnects,
        gaps,
        rejected,
        lastMessageAt,
      };
    },
    close() {
      if (closed) return;
      closed = true;
      generation += 1;
      clearTimeout(reconnectTimer);
      clearTimeout(flushTimer);
      clearInterval(staleTimer);
      try {
        socket?.close(1000, "closed");
      } catch {
        // see drop()
      }
      socket = undefined;
      open = false;
    },
  };
}
