/**
 * The real venue's own lifecycle (src/real): the build is cached by source hash, the Kafka
 * broker stops and starts on its port, the server restarts empty on its port, and closing
 * (or dying) leaves nothing listening. One broker for the file: each JVM start costs ~10 s.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createMatchingoClient } from "@matchingo-mm/grpc-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildRealMatchingo,
  findMatchingoSource,
  type KafkaBroker,
  realVenueRequired,
  realVenueUnavailable,
  startKafka,
  startRealVenue,
} from "../../src/real/index.ts";
import { splitAddress } from "../../src/real/kafka.ts";
import { topicMetadata } from "../../src/real/kafka-wire.ts";
import { hashSource, repoRoot } from "../../src/real/source.ts";

const unavailable = realVenueUnavailable();
const CHECK_COUNT = 5; // The real-venue checks below; the lookup and hash ones always run.

/** Whether a TCP connect to host:port is refused (nothing listens). */
function refuses(address: string): Promise<boolean> {
  const at = address.lastIndexOf(":");
  return new Promise((resolve) => {
    const socket = connect(Number(address.slice(at + 1)), address.slice(0, at));
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

async function eventually(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const giveUpAt = Date.now() + timeoutMs;
  while (Date.now() < giveUpAt) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return condition();
}

describe("the source lookup", () => {
  it("takes MATCHINGO_SRC (relative to the repository root) and refuses a folder that is not Matchingo", () => {
    const here = findMatchingoSource({});
    if (!here.dir) {
      expect(realVenueRequired(), `CI needs the Matchingo source: ${unavailable}`).toBe(false);
      return;
    }
    const relativeToRoot = relative(repoRoot(), here.dir);
    expect(findMatchingoSource({ MATCHINGO_SRC: relativeToRoot })).toEqual({
      dir: here.dir,
      lookedAt: here.dir,
    });
    expect(findMatchingoSource({ MATCHINGO_SRC: "packages" })).toEqual({
      lookedAt: "MATCHINGO_SRC=packages (no go.mod and cmd/server there)",
    });
  });
});

describe("the source hash", () => {
  it("is the same for a copy and changes with any file", () => {
    const source = findMatchingoSource().dir;
    // The hash is a function of the files alone; without the source there is nothing to hash.
    if (!source) {
      expect(realVenueRequired(), `CI needs the Matchingo source: ${unavailable}`).toBe(false);
      return;
    }
    const copy = mkdtempSync(join(tmpdir(), "matchingo-hash-"));
    try {
      cpSync(source, copy, { recursive: true });
      const original = hashSource(source);
      expect(hashSource(copy)).toBe(original);
      writeFileSync(join(copy, "README.md"), "changed\n", { flag: "a" });
      expect(hashSource(copy)).not.toBe(original);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

if (!unavailable) {
  describe("the real venue", () => {
    let kafka: KafkaBroker;
    beforeAll(async () => {
      kafka = await startKafka();
    }, 180_000);
    afterAll(async () => {
      await kafka?.close();
    }, 60_000);

    it("builds once per source: a second build is the cached one", async () => {
      const first = await buildRealMatchingo();
      const second = await buildRealMatchingo();
      expect(second).toEqual(first);
      expect(first.server).toContain(first.sourceHash);
      expect(first.marketmaker).toContain(first.sourceHash);
    }, 600_000);

    it("the broker stops (its port refuses) and starts again on the same port", async () => {
      const [host, port] = splitAddress(kafka.brokers);
      await kafka.stop();
      expect(await refuses(kafka.brokers)).toBe(true);
      await kafka.start();
      expect(await topicMetadata(host, port, "test-msg-queue")).toEqual({
        errorCode: 0,
        leader: 1,
      });
    }, 180_000);

    it("the server restarts empty on the same port, and close leaves nothing listening", async () => {
      const lines: string[] = [];
      const venue = await startRealVenue({
        kafka,
        topic: "restart-check",
        onOutputLine: (line) => lines.push(line),
      });
      const client = createMatchingoClient({ address: venue.address, userAddress: "check" });
      try {
        expect(venue.brokers).toBe(kafka.brokers);
        await client.ensureOrderBook("before-restart");
        await venue.restart();
        expect(await client.getBook("before-restart")).toBeUndefined();
        expect(await client.getBook("test")).toBeDefined();
        // It logs every request: the ones before the restart are kept, and each is one line.
        expect(venue.output()).toContain("before-restart");
        const created = lines.filter((line) => line.includes('"before-restart"'));
        expect(created.length).toBeGreaterThan(0);
        for (const line of created) expect(() => JSON.parse(line)).not.toThrow();
      } finally {
        client.close();
        await venue.close();
      }
      expect(await refuses(venue.address)).toBe(true);
      // Not its broker: closing the server leaves the shared broker up.
      expect(await refuses(kafka.brokers)).toBe(false);
    }, 120_000);

    it("without Kafka it has no brokers and still answers", async () => {
      const venue = await startRealVenue({ kafka: false });
      const client = createMatchingoClient({ address: venue.address, userAddress: "check" });
      try {
        expect(venue.brokers).toBeUndefined();
        expect(await client.getBook("test")).toBeDefined();
      } finally {
        client.close();
        await venue.close();
      }
    }, 120_000);

    it("a process that dies of SIGKILL leaves neither its server nor its Kafka running", async () => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", join(import.meta.dirname, "start-and-wait.ts")],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          out += chunk;
          if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
        });
        child.once("exit", (code) =>
          reject(new Error(`exited (${code}) before it printed: ${out}`)),
        );
      });
      const started = JSON.parse(line) as { address: string; brokers: string };
      expect(await refuses(started.address)).toBe(false);
      expect(await refuses(started.brokers)).toBe(false);
      child.kill("SIGKILL");
      // The watchdogs poll once a second.
      expect(
        await eventually(
          async () => (await refuses(started.address)) && (await refuses(started.brokers)),
          30_000,
        ),
      ).toBe(true);
    }, 240_000);
  });
} else {
  describe(`real venue: not installed, ${CHECK_COUNT} checks not run`, () => {
    it(unavailable, () => {
      console.log(`real venue: not installed, ${CHECK_COUNT} checks not run: ${unavailable}`);
      expect(realVenueRequired(), `CI needs the real venue: ${unavailable}`).toBe(false);
    });
  });
}
