import { parseArgs } from "node:util";

export interface CliOptions {
  readonly host: string;
  readonly port: number;
  readonly latencyMs: number;
  readonly firstTradeStallMs: number;
  readonly tradeStallMs: number;
  /** Seconds between two `venue stats` lines (memory, books, orders, trades); 0: none. */
  readonly statsSeconds: number;
  readonly logLevel: string;
  readonly help: boolean;
}

export const DEFAULT_HOST = "localhost";
export const DEFAULT_PORT = 50051;

export const USAGE = `Usage: matchingo-venue [--host HOST] [--port PORT] [--address HOST:PORT] [--latency-ms MS]
                       [--first-trade-stall-ms MS] [--trade-stall-ms MS] [--stats-seconds S]

An embedded Matchingo-compatible gRPC venue (matchingo.api.OrderBookService, reflection on).

  --host HOST          interface to listen on (env VENUE_HOST, default ${DEFAULT_HOST})
  --port PORT          port, 0 for any free one (env VENUE_PORT, default ${DEFAULT_PORT})
  --address HOST:PORT  both at once (env VENUE_ADDRESS); --host/--port win over it
  --latency-ms MS      delay every rpc by MS (env VENUE_LATENCY_MS, default 0)
  --first-trade-stall-ms MS
                       the first CreateOrder that trades answers MS late, past any client
                       deadline, as the real Matchingo without Kafka does (default 0)
  --trade-stall-ms MS  every later CreateOrder that trades answers MS late (default 0)
  --stats-seconds S    log a "venue stats" line every S seconds: memory (RSS, V8 heap,
                       external), books, live orders, trades kept (env VENUE_STATS_SECONDS,
                       default 0: none)
  -h, --help           this text

Logs JSON lines (pino) to stdout; LOG_LEVEL=debug shows one line per order event.`;

export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** Flags win over environment, which wins over defaults. */
export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliOptions {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv[0] === "--" ? argv.slice(1) : argv);
  } catch (error) {
    throw new CliUsageError((error as Error).message, { cause: error });
  }
  const { values } = parsed;
  const address = values.address ?? env.VENUE_ADDRESS;
  const fromAddress = address === undefined ? undefined : splitAddress(address);
  const host = values.host ?? (fromAddress?.host || env.VENUE_HOST) ?? DEFAULT_HOST;
  const portText = values.port ?? fromAddress?.port ?? env.VENUE_PORT;
  const latencyText = values["latency-ms"] ?? env.VENUE_LATENCY_MS;
  return {
    host,
    port: portText === undefined ? DEFAULT_PORT : parsePort(portText),
    latencyMs: latencyText === undefined ? 0 : parseLatency(latencyText),
    firstTradeStallMs: parseMs("first-trade-stall-ms", values["first-trade-stall-ms"]),
    tradeStallMs: parseMs("trade-stall-ms", values["trade-stall-ms"]),
    statsSeconds: parseSeconds(values["stats-seconds"] ?? env.VENUE_STATS_SECONDS),
    logLevel: env.LOG_LEVEL || "info",
    help: values.help ?? false,
  };
}

function parseFlags(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      address: { type: "string" },
      "latency-ms": { type: "string" },
      "first-trade-stall-ms": { type: "string" },
      "trade-stall-ms": { type: "string" },
      "stats-seconds": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function splitAddress(address: string): { host: string; port: string } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address);
  if (!match) throw new CliUsageError(`address must look like host:port, got "${address}"`);
  return { host: match[1] ?? match[2] ?? "", port: match[3]! };
}

function parsePort(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new CliUsageError(`port must be an integer from 0 to 65535, got "${text}"`);
  }
  return port;
}

function parseLatency(text: string): number {
  return parseMs("latency-ms", text);
}

function parseMs(flag: string, text: string | undefined): number {
  if (text === undefined) return 0;
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new CliUsageError(`${flag} must be a number of milliseconds >= 0, got "${text}"`);
  }
  return ms;
}

function parseSeconds(text: string | undefined): number {
  if (text === undefined || text === "") return 0;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(seconds)) {
    throw new CliUsageError(`stats-seconds must be a number of seconds >= 0, got "${text}"`);
  }
  return seconds;
}
