import type { Channel } from "nice-grpc";
import { type BookOperations, createBookOperations } from "./books.ts";
import { openChannel } from "./channel.ts";
import { toMetadata } from "./metadata.ts";
import { type MatchingoClientOptions, resolveOptions } from "./options.ts";
import { createOrderOperations, type OrderOperations } from "./orders.ts";
import { createTransport, type RawMatchingoClient } from "./transport.ts";

export interface MatchingoClient extends OrderOperations, BookOperations {
  /** The generated nice-grpc client, with the same channel, deadline, retry and metadata. */
  readonly raw: RawMatchingoClient;
  /** The one grpc-js channel every call shares. */
  readonly channel: Channel;
  /** Closes the channel; calls made afterwards fail at once. Safe to call twice. */
  close(): void;
}

/**
 * A client for one Matchingo venue. It opens no connection until the first call and
 * reconnects by itself after the venue restarts: keep one per venue for the process's life.
 */
export function createMatchingoClient(options: MatchingoClientOptions): MatchingoClient {
  const resolved = resolveOptions(options);
  const baseMetadata = toMetadata(options.metadata, "metadata");
  const channel = openChannel(options.address, options.tls, options.channelOptions ?? {});
  let closed = false;
  const transport = createTransport(channel, baseMetadata, resolved, options.onRpc, () => closed);
  return {
    ...createOrderOperations(transport, resolved.userAddress),
    ...createBookOperations(transport),
    raw: transport.raw,
    channel,
    close() {
      if (closed) return;
      closed = true;
      channel.close();
    },
  };
}
