import type { Admin } from "kafkajs";
import { expect, it } from "vitest";
import { createTopicEnds, untilAborted } from "../src/fills/topic-ends.ts";

/** An admin client whose offset lookups the test answers by hand, one at a time. */
function manualAdmin() {
  const lookups: Array<(high: string) => void> = [];
  let made = 0;
  let disconnected = 0;
  const admin = () => {
    made++;
    return {
      connect: async () => undefined,
      disconnect: async () => {
        disconnected++;
      },
      fetchTopicOffsets: () =>
        new Promise((resolve) => {
          lookups.push((high) => resolve([{ partition: 0, offset: high, high, low: "0" }]));
        }),
    } as unknown as Admin;
  };
  return {
    admin,
    lookups,
    made: () => made,
    disconnected: () => disconnected,
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

it("answers each caller with a lookup that began after its call; callers meanwhile share the next", async () => {
  const manual = manualAdmin();
  const ends = createTopicEnds(manual.admin, "trades");
  const first = ends.next();
  await settle();
  // Asked while the first lookup runs: it may have started before what these need.
  const second = ends.next();
  const third = ends.next();
  manual.lookups[0]!("10");
  expect((await first).get(0)).toBe(10n);
  await settle();
  expect(manual.lookups).toHaveLength(2);
  manual.lookups[1]!("12");
  expect((await second).get(0)).toBe(12n);
  expect((await third).get(0)).toBe(12n);
  expect(manual.made()).toBe(2);
  expect(manual.disconnected()).toBe(2);
});

it("a failed lookup rejects its callers and the next call looks again", async () => {
  let calls = 0;
  const admin = () =>
    ({
      connect: async () => {
        calls++;
        if (calls === 1) throw new Error("broker unreachable");
      },
      disconnect: async () => undefined,
      fetchTopicOffsets: async () => [{ partition: 0, offset: "5", high: "5", low: "0" }],
    }) as unknown as Admin;
  const ends = createTopicEnds(admin, "trades");
  await expect(ends.next()).rejects.toThrow("broker unreachable");
  expect((await ends.next()).get(0)).toBe(5n);
});

it("untilAborted rejects with the signal's reason as soon as it aborts", async () => {
  const controller = new AbortController();
  const never = new Promise<never>(() => undefined);
  const waiting = untilAborted(never, controller.signal);
  controller.abort(new Error("shutdown deadline passed"));
  await expect(waiting).rejects.toThrow("shutdown deadline passed");
  await expect(untilAborted(Promise.resolve(1), new AbortController().signal)).resolves.toBe(1);
});
