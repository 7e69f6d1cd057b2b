/**
 * The real Matchingo server (`github.com/erain9/matchingo/cmd/server`) as a child process, for
 * tests that must prove something against it rather than against our embedded venue. Nothing
 * of its source is in this repository: `.ci/run` installs it with `go install` when it can, and
 * tests find it with {@link findRealMatchingo}.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { OrderBookServiceDefinition } from "@matchingo-mm/grpc-client/proto";
import { createChannel, createClient } from "nice-grpc";

/** The pinned module version `.ci/run` installs (main on 2025-04-19; there are no tags). */
export const REAL_MATCHINGO_VERSION = "v0.0.0-20250419204737-c7740a025b24";
export const REAL_MATCHINGO_ENV = "MATCHINGO_SERVER_BIN";

export interface RealMatchingoLookup {
  /** The executable, when one was found. */
  readonly bin?: string;
  /** Where it was looked for, for a message that says how to get it. */
  readonly lookedAt: readonly string[];
}

/**
 * `$MATCHINGO_SERVER_BIN` when set (it must exist), else `$(go env GOPATH)/bin/server` when Go
 * is installed and that file exists. `go install` names the binary after its folder, `server`.
 */
export function findRealMatchingo(
  env: Readonly<Record<string, string | undefined>> = process.env,
): RealMatchingoLookup {
  const explicit = env[REAL_MATCHINGO_ENV];
  if (explicit) {
    return existsSync(explicit)
      ? { bin: explicit, lookedAt: [explicit] }
      : { lookedAt: [`${REAL_MATCHINGO_ENV}=${explicit} (no such file)`] };
  }
  let gopath: string | undefined;
  try {
    gopath = execFileSync("go", ["env", "GOPATH"], { encoding: "utf8", timeout: 10_000 }).trim();
  } catch {
    return { lookedAt: [`${REAL_MATCHINGO_ENV} (unset)`, "go (not on PATH)"] };
  }
  const candidate = join(gopath, "bin", "server");
  return existsSync(candidate)
    ? { bin: candidate, lookedAt: [candidate] }
    : { lookedAt: [`${REAL_MATCHINGO_ENV} (unset)`, candidate] };
}

export interface RealMatchingo {
  /** "127.0.0.1:PORT" for a gRPC client. */
  readonly address: string;
  readonly grpcPort: number;
  readonly httpPort: number;
  /** Everything it printed so far (zerolog JSON lines and its own `fmt.Printf` lines). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. Idempotent. */
  close(): Promise<void>;
}

export interface RealMatchingoOptions {
  /** How long to wait for it to answer gRPC (default 30 s). */
  readonly readyTimeoutMs?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the real server on two free ports and waits until ListOrderBooks answers. It listens
 * on every interface (its flags take a port only); we talk to it on 127.0.0.1.
 */
export async function startRealMatchingo(
  bin: string,
  options: RealMatchingoOptions = {},
): Promise<RealMatchingo> {
  const grpcPort = await freePort();
  const httpPort = await freePort();
  const child: ChildProcess = spawn(
    bin,
    [
      "-grpc_port",
      String(grpcPort),
      "-http_port",
      String(httpPort),
      "-log_level",
      "warn",
      "-log_format",
      "json",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    })();
    return closing;
  };

  const address = `127.0.0.1:${grpcPort}`;
  const channel = createChannel(address);
  const client = createClient(OrderBookServiceDefinition, channel);
  const giveUpAt = Date.now() + (options.readyTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the real Matchingo exited before it was ready:\n${output.slice(-4000)}`);
      }
      try {
        await client.listOrderBooks({}, { signal: AbortSignal.timeout(1_000) });
        break;
      } catch (error) {
        if (Date.now() > giveUpAt) {
          throw new Error(
            `the real Matchingo did not answer on ${address}:\n${output.slice(-4000)}`,
            {
              cause: error,
            },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await close();
    throw error;
  } finally {
    channel.close();
  }
  return { address, grpcPort, httpPort, output: () => output, close };
}
