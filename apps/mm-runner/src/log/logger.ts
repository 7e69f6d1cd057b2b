import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

export type LogFormat = "json" | "pretty";

export interface LoggerOptions {
  readonly level: string;
  /** Not set: pretty on a terminal, JSON lines otherwise. */
  readonly format?: LogFormat;
  /** File descriptor to write to. Default 1 (stdout). */
  readonly fd?: number;
}

/** Keys that may hold credentials, wherever they appear in a log line's fields. */
export const REDACTED_PATHS = [
  "metadata",
  "*.metadata",
  "matchingoMetadata",
  "*.matchingoMetadata",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "token",
  "*.token",
  "controlToken",
  "*.controlToken",
  "apiKey",
  "*.apiKey",
];

export function chooseFormat(format: LogFormat | undefined, fd = 1): LogFormat {
  if (format) return format;
  const stream = fd === 2 ? process.stderr : process.stdout;
  return stream.isTTY ? "pretty" : "json";
}

/**
 * pino with synchronous writes: the last lines before a crash or a forced exit must not
 * be lost in a buffer, and a few hundred lines a second cost nothing.
 */
export function createLogger(options: LoggerOptions): Logger {
  const fd = options.fd ?? 1;
  const format = chooseFormat(options.format, fd);
  const base = {
    level: options.level,
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: { err: pino.stdSerializers.errWithCause },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (format === "pretty") {
    const detailed = options.level === "debug" || options.level === "trace";
    const stream = pretty({
      destination: fd,
      sync: true,
      colorize: (fd === 2 ? process.stderr : process.stdout).isTTY === true,
      translateTime: "SYS:HH:MM:ss.l",
      ignore: "pid,hostname",
      // On a terminal one line says it all: the symbol, the message and an error's reason.
      // The fields stay in JSON logs (and in pretty logs at debug).
      hideObject: !detailed,
      messageFormat: (log, messageKey) => {
        const symbol = typeof log.symbol === "string" ? `[${log.symbol}] ` : "";
        const error = log.err as { message?: unknown } | undefined;
        const reason = !detailed && typeof error?.message === "string" ? ` (${error.message})` : "";
        return `${symbol}${String(log[messageKey])}${reason}`;
      },
    });
    return pino(base, stream);
  }
  return pino(base, pino.destination({ fd, sync: true }));
}
