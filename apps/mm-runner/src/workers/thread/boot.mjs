// The entry of every worker thread when the runner runs from source (development, tests;
// see entry.ts). Node 20 does not hand the parent's tsx loader to a worker whose entry is a
// .ts file (ERR_UNKNOWN_FILE_EXTENSION), so each worker registers tsx itself, then imports
// worker.ts. The built runner never comes here: its workers start from dist/worker.js.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
