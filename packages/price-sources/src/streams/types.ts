import type { StreamError } from "./errors.ts";

/** The newest top of book (and last trade, where sent) of one symbol on one stream. */
export interface StreamQuote {
  /** Canonical `BASE-QUOTE`. */
  readonly symbol: string;
  /** The stream's name (`binance`, `coinbase`, `kraken`, `synthetic`). */
  readonly source: string;
  readonly bid?: string;
  readonly ask?: string;
  readonly last?: string;
  /** The exchange's own time of the update, where it gives one (ms since the epoch). */
  readonly exchangeTime?: number;
  /** When it arrived (ms since the epoch). */
  readonly receivedAt: number;
}

/** What a stream reports through `onEvent`; it never prints. */
export type StreamEvent =
  | {
      readonly type: "stream-connecting";
      readonly stream: string;
      readonly url: string;
      readonly attempt: number;
    }
  | { readonly type: "stream-connected"; readonly stream: string; readonly url: string }
  /** The exchange acknowledged a subscription. */
  | {
      readonly type: "stream-subscribed";
      readonly stream: string;
      readonly symbols: readonly string[];
    }
  /** The connection ended; the next attempt is in `reconnectInMs`. */
  | {
      readonly type: "stream-disconnected";
      readonly stream: string;
      readonly reason: string;
      readonly reconnects: number;
      readonly reconnectInMs: number;
    }
  /** A frame, subscription or connection was refused (`error.kind` says why). */
  | { readonly type: "stream-error"; readonly stream: string; readonly error: StreamError };

export type StreamEventListener = (event: StreamEvent) => void;

export interface StreamStats {
  /** Open, subscribed and heard from within `staleMs`. */
  readonly up: boolean;
  readonly connects: number;
  /** Connections lost or closed by us (stale, shutdown) after the first. */
  readonly reconnects: number;
  readonly gaps: number;
  /** Frames refused (malformed, foreign, bad price, subscribe errors). */
  readonly rejected: number;
  /** The last frame of any kind (data or heartbeat), ms since the epoch. */
  readonly lastMessageAt: number | undefined;
}

/** A live feed of quotes for the symbols it was asked to track. One connection per stream. */
export interface PriceStream {
  readonly name: string;
  /** Adds symbols (canonical); subscribes now if connected, connects if not yet. */
  track(symbols: readonly string[]): void;
  /** The newest quote of a symbol, however old; undefined before the first. */
  quote(symbol: string): StreamQuote | undefined;
  /** True while open, subscribed and not silent for `staleMs`. */
  isUp(): boolean;
  /** Called on every accepted quote. Returns the unsubscribe. */
  onQuote(listener: (quote: StreamQuote) => void): () => void;
  stats(): StreamStats;
  /** Closes the connection for good; no reconnect. */
  close(): void;
}
