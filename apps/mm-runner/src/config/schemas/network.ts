import * as v from "valibot";
import { list, text } from "./base.ts";

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
/** The host of a `host:port` (an IPv6 one without its brackets); undefined when it is not one. */
export function hostOf(value: string): string | undefined {
  const host = HOST_PORT.exec(value.trim())?.[1];
  return host?.startsWith("[") ? host.slice(1, -1) : host;
}

function isHostPort(value: string, allowAnyPort = false): boolean {
  const match = HOST_PORT.exec(value);
  const port = Number(match?.[2]);
  return match !== null && (port > 0 || allowAnyPort) && port <= 65535;
}

export const address = v.pipe(
  text,
  // grpc-client also takes http:// (plaintext) and https:// (TLS) in front.
  v.check(
    (value) => isHostPort(value.replace(/^https?:\/\//, "")),
    "must be host:port, e.g. localhost:50051",
  ),
);

export const metricsAddress = v.pipe(
  text,
  v.check(
    // Port 0 picks a free port (the log says which).
    (value) => value.toLowerCase() === "off" || isHostPort(value, true),
    "must be host:port (e.g. 127.0.0.1:9464) or off",
  ),
);

export const brokers = v.pipe(
  list,
  v.minLength(1, "must name at least one broker"),
  v.check(
    (brokers) => brokers.every((broker) => isHostPort(broker)),
    "must be host:port pairs separated by commas, e.g. 127.0.0.1:9092",
  ),
);

export const hostList = v.pipe(
  list,
  v.transform((names) => names.map((name) => name.toLowerCase())),
  v.check(
    (names) => names.every((name) => HOST_NAME.test(name)),
    "must be host names without port or scheme, comma separated, e.g. mm-1.internal,mm-1",
  ),
);

export const kafkaTopic = v.pipe(
  text,
  v.regex(/^[A-Za-z0-9._-]{1,249}$/, "must be a Kafka topic name (letters, digits, . _ -)"),
);

/** `key=value,key2=value2` → `{ key: "value", key2: "value2" }`. */
export const metadata = v.pipe(
  text,
  v.check(
    (value) =>
      value
        .split(",")
        .every((pair) => /^[a-z0-9._-]+=.*$/.test(pair.trim()) && !pair.trim().startsWith("=")),
    "must be key=value pairs separated by commas (lower-case keys)",
  ),
  v.transform(
    (value): Record<string, string> =>
      Object.fromEntries(
        value.split(",").map((pair) => {
          const at = pair.indexOf("=");
          return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
        }),
      ),
  ),
);

export const url = v.pipe(
  text,
  v.url("must be a URL like https://api.binance.com"),
  v.check((value) => /^https?:\/\//.test(value), "must be an http:// or https:// URL"),
);

export const wsUrl = v.pipe(
  text,
  v.url("must be a URL like wss://ws.kraken.com/v2"),
  v.check((value) => /^wss?:\/\//.test(value), "must be a ws:// or wss:// URL"),
);
