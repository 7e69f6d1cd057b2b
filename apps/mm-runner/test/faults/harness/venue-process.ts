import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createMatchingoClient, type MatchingoClient } from "@matchingo-mm/grpc-client";

const VENUE_DIR = fileURLToPath(new URL("../../../../../packages/venue", import.meta.url));

/** One order event as the venue CLI logs it at debug level (pino line, `msg` = event type). */
export interface VenueLogEvent {
  readonly msg: string;
  /** Which run of the venue process logged it (1 = the first start). */
  readonly incarnation: number;
  readonly orderId?: string;
  readonly book?: string;
  readonly side?: "buy" | "sell";
  readonly price?: string;
  readonly restingQuantity?: string;
  readonly userAddress?: string;
  readonly makerOrderId?: string;
  readonly makerUserAddress?: string;
  readonly takerUserAddress?: string;
  readonly quantity?: string;
  readonly [field: string]: unknown;
}

export interface VenueProcess {
  readonly address: string;
  readonly port: number;
  /** Every order event of every incarnation, in order. */
  readonly events: VenueLogEvent[];
  readonly incarnation: number;
  /** Kills the running process (default SIGKILL: no clean shutdown, connections reset). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a fresh process on the same port: it knows no book and no order. */
  restart(): Promise<void>;
  /** Live orders of the current incarnation, from its own event log. */
  liveOrders(book?: string): Array<{ orderId: string; price: string; userAddress: string }>;
  /** A gRPC client on the venue (reading the book the way any participant would). */
  client(): MatchingoClient;
  close(): Promise<void>;
}

/**
 * The venue CLI (`packages/venue/src/cli.ts`) as its own process, so it can be killed for
 * real (SIGKILL) and restarted empty on the same port. Its debug log is its order record.
 */
export async function startVenueProcess(): Promise<VenueProcess> {
  const events: VenueLogEvent[] = [];
  let incarnation = 0;
  let child: ChildProcess | undefined;
  let port = 0;
  const clients: MatchingoClient[] = [];

  async function launch(): Promise<void> {
    incarnation++;
    const run = incarnation;
    const started = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli.ts", "--host", "127.0.0.1", "--port", String(port)],
      {
        cwd: VENUE_DIR,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "debug" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child = started;
    let partial = "";
    let stderr = "";
    const listening = new Promise<number>((resolve, reject) => {
      started.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        partial += chunk;
        const lines = partial.split("\n");
        partial = lines.pop() ?? "";
        for (const text of lines) {
          if (text.trim() === "") continue;
          const line = JSON.parse(text) as Record<string, unknown>;
          if (line.msg === "matchingo venue listening") {
            resolve(Number(String(line.address).split(":").pop()));
          } else if (line.level === 20) {
            events.push({ ...(line as object), msg: String(line.msg), incarnation: run });
          }
        }
      });
      started.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      started.on("exit", (code) =>
        reject(new Error(`the venue exited (code ${code}) before listening\n${stderr}`)),
      );
    });
    port = await listening;
  }

  async function kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill(signal);
    await exited;
  }

  await launch();
  const address = `127.0.0.1:${port}`;

  return {
    address,
    port,
    events,
    get incarnation() {
      return incarnation;
    },
    kill,
    async restart() {
      await kill();
      await launch();
    },
    liveOrders(book) {
      const live = new Map<string, { orderId: string; price: string; userAddress: string }>();
      const remaining = new Map<string, number>();
      for (const event of events) {
        if (event.incarnation !== incarnation || (book && event.book !== book)) continue;
        if (event.msg === "order-created" && Number(event.restingQuantity) > 0) {
          live.set(event.orderId!, {
            orderId: event.orderId!,
            price: event.price!,
            userAddress: event.userAddress!,
          });
          remaining.set(event.orderId!, Number(event.restingQuantity));
        } else if (event.msg === "order-canceled") {
          live.delete(event.orderId!);
        } else if (event.msg === "trade") {
          const left = (remaining.get(event.makerOrderId!) ?? 0) - Number(event.quantity);
          remaining.set(event.makerOrderId!, left);
          if (left <= 1e-9) live.delete(event.makerOrderId!);
        }
      }
      return [...live.values()];
    },
    client() {
      const client = createMatchingoClient({ address, deadlineMs: 2000 });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await kill("SIGTERM");
    },
  };
}
