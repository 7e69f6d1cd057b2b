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
    const stream = pretty({
      destination: fd,
      sync: true,
      colorize: (fd === 2 ? process.stderr : process.stdout).isTTY === true,
      translateTime: "SYS:HH:MM:ss.l",
      ignore: "pid,hostname",
    });
    return pino(base, stream);
  }
  return pino(base, pino.destination({ fd, sync: true }));
}
