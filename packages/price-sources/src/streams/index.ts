export type { ProtocolIO, StreamOptions, StreamProtocol } from "./connection.ts";
export { createStream } from "./connection.ts";
export { StreamError, type StreamErrorKind } from "./errors.ts";
export { type ExactJson, ExactJsonError, JsonNumber, parseExactJson } from "./exact-json.ts";
export type {
  FeedEvent,
  FeedEventListener,
  FeedSource,
  FeedStatus,
  FeedVia,
  PriceMode,
  StreamingFeed,
  StreamingFeedOptions,
} from "./feed/types.ts";
export { createStreamingFeed } from "./feed.ts";
export { type TickingStreamOptions, tickingStream } from "./polled.ts";
export {
  deviationPercent,
  medianOf,
  midPrice,
  type PriceType,
  referencePrice,
} from "./reference.ts";
export type { WebSocketConstructor, WebSocketLike } from "./socket.ts";
export type {
  PriceStream,
  StreamEvent,
  StreamEventListener,
  StreamQuote,
  StreamStats,
} from "./types.ts";
