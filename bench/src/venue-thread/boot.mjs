// Entry of the venue's thread. Node 20 does not pass the parent's tsx loader to a worker
// thread, so the worker registers tsx itself before importing its TypeScript module.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
