// The entry of every worker thread. Node 20 does not hand the parent's tsx loader to a
// worker whose entry is a .ts file (ERR_UNKNOWN_FILE_EXTENSION), whether the parent ran
// `tsx`, `node --import tsx` or vitest. So each worker registers tsx itself, then imports
// its TypeScript module. Works the same from any working directory.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
