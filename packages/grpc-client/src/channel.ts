import { type Channel, ChannelCredentials, type ChannelOptions, createChannel } from "nice-grpc";

export type PemInput = string | Uint8Array;

export interface TlsOptions {
  /** CA certificates (PEM) to trust; the system's roots when absent. */
  readonly rootCerts?: PemInput;
  /** Client key and certificate (PEM) for mutual TLS; give both or neither. */
  readonly privateKey?: PemInput;
  readonly certChain?: PemInput;
}

/**
 * Keepalive finds a dead connection (venue host gone, NAT dropped the flow) within
 * about time + timeout instead of at the next call's deadline. Short reconnect back-off
 * caps let the channel notice a restarted venue within ~2s instead of grpc-js's 120s.
 */
export const DEFAULT_CHANNEL_OPTIONS: ChannelOptions = {
  "grpc.keepalive_time_ms": 30_000,
  "grpc.keepalive_timeout_ms": 10_000,
  "grpc.keepalive_permit_without_calls": 1,
  "grpc.initial_reconnect_backoff_ms": 100,
  "grpc.max_reconnect_backoff_ms": 2_000,
  // nice-grpc reads this as the timeout of one connection attempt (grpc-js has none).
  "grpc.min_reconnect_backoff_ms": 5_000,
};

const toBuffer = (pem: PemInput | undefined) =>
  pem === undefined ? null : Buffer.from(typeof pem === "string" ? pem : pem);

export function toCredentials(tls: boolean | TlsOptions | undefined): ChannelCredentials {
  if (tls === undefined || tls === false) return ChannelCredentials.createInsecure();
  if (tls === true) return ChannelCredentials.createSsl();
  if ((tls.privateKey === undefined) !== (tls.certChain === undefined)) {
    throw new TypeError("tls: privateKey and certChain go together; give both or neither");
  }
  return ChannelCredentials.createSsl(
    toBuffer(tls.rootCerts),
    toBuffer(tls.privateKey),
    toBuffer(tls.certChain),
  );
}

/** `host:port`, or with an explicit `http://` / `https://` scheme. */
export function openChannel(
  address: string,
  tls: boolean | TlsOptions | undefined,
  options: ChannelOptions,
): Channel {
  const secureScheme = address.startsWith("https://");
  if (secureScheme && tls === false) {
    throw new TypeError(`address ${JSON.stringify(address)} says https but tls is false`);
  }
  if (address.startsWith("http://") && tls !== undefined && tls !== false) {
    throw new TypeError(`address ${JSON.stringify(address)} says http but tls is set`);
  }
  const credentials = toCredentials(secureScheme && tls === undefined ? true : tls);
  return createChannel(address, credentials, { ...DEFAULT_CHANNEL_OPTIONS, ...options });
}
