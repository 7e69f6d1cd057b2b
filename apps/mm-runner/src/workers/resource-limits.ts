import type { ResourceLimits } from "node:worker_threads";

/**
 * V8 limits of each worker's isolate. A worker's live heap is a few MiB (its gRPC channel,
 * one book's orders, the loop), but V8 sizes every isolate as if it were a whole process:
 * the young generation grows up to 16 MiB per semi-space under gRPC's allocation rate, and
 * with one isolate per symbol that, not the data, was most of the runner's memory. A small
 * young generation costs more frequent (cheap: little survives) scavenges. The old
 * generation limit is far above what a worker holds; reaching it ends the worker with an
 * error, and the supervisor cleans up and restarts it like any crash.
 */
export const WORKER_RESOURCE_LIMITS: ResourceLimits = {
  maxYoungGenerationSizeMb: 1,
  maxOldGenerationSizeMb: 96,
};
