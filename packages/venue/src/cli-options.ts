import { parseArgs } from "node:util";

export interface CliOptions {
  readonly host: string;
  readonly port: number;
  readonly latencyMs: number;
  readonly logLevel: string;
  readonly help: boolean;
}

export const DEFAULT_HOST = "localhost";
export const DEFAULT_PORT = 50051;

export const USAGE = `Usage: matchingo-venue [--host HOST] [--port PORT] [--address HOST:PORT] [--latency-ms MS]

An embedded Matchingo-compatible gRPC venue (matchingo.api.OrderBookService, reflection on).

  --host HOST          interface to listen on (env VENUE_HOST, default ${DEFAULT_HOST})
  --port PORT          port, 0 for any free one (env VENUE_PORT, default ${DEFAULT_PORT})
  --address HOST:PORT  both at once (env VENUE_ADDRESS); --host/--port win over it
  --latency-ms MS      delay every rpc by MS (env VENUE_LATENCY_MS, default 0)
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
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new CliUsageError(`latency-ms must be a number of milliseconds >= 0, got "${text}"`);
  }
  return ms;
}
