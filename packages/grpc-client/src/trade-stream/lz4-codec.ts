/// <reference path="./lz4js.d.ts" />
import kafkajs from "kafkajs";
import lz4js from "lz4js";

// kafkajs is CommonJS: Node's ESM loader sees no named exports in it.
const { CompressionCodecs, CompressionTypes } = kafkajs;
const { compress, decompress } = lz4js;

/**
 * Kafka's LZ4 codec for kafkajs, over lz4js (LZ4 frames in plain JavaScript). Matchingo's
 * producers compress every batch with LZ4, and kafkajs ships no LZ4 codec. `kafkajs-lz4`
 * wraps the native `lz4` 0.6 module, whose install runs node-gyp: it needs a C++ toolchain
 * and Node's headers at install time (fetched from the internet unless `--nodedir` is
 * given) and pnpm skips its build script by default. A message batch is small (one
 * DoneMessage is a few hundred bytes), so a pure-JS codec costs nothing that shows and
 * installs anywhere Node runs.
 */
export const lz4Codec = () => ({
  async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
    return Buffer.from(compress(encoder.buffer));
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return Buffer.from(decompress(buffer));
  },
});

/** Makes kafkajs read and write LZ4 batches (process-wide, idempotent). */
export function registerLz4(): void {
  CompressionCodecs[CompressionTypes.LZ4] = lz4Codec;
}
