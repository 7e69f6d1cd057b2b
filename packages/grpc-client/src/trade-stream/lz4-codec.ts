/// <reference path="./lz4js.d.ts" />
import kafkajs from "kafkajs";
import lz4js from "lz4js";
import xxh32 from "lz4js/xxh32.js";

// kafkajs is CommonJS: Node's ESM loader sees no named exports in it.
const { CompressionCodecs, CompressionTypes } = kafkajs;
const { decompress } = lz4js;

const FRAME_MAGIC = [0x04, 0x22, 0x4d, 0x18];
const BLOCK_SIZE = 64 * 1024;

/**
 * An LZ4 frame (version 1, independent blocks of at most 64 KiB) whose blocks are stored
 * uncompressed: valid LZ4 that the broker and every reader accept. lz4js's own frames mark
 * their blocks dependent, and the broker refuses them; a DoneMessage is a few hundred
 * bytes, so storing costs nothing worth compressing for.
 */
export function lz4StoredFrame(src: Uint8Array): Buffer {
  const header = Buffer.from([...FRAME_MAGIC, 0x60, 0x40, 0]);
  header[6] = (xxh32.hash(0, header, 4, 2) >>> 8) & 0xff;
  const parts: Buffer[] = [header];
  for (let at = 0; at < src.length; at += BLOCK_SIZE) {
    const block = src.subarray(at, Math.min(src.length, at + BLOCK_SIZE));
    const size = Buffer.alloc(4);
    size.writeUInt32LE((0x80000000 | block.length) >>> 0);
    parts.push(size, Buffer.from(block));
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

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
    return lz4StoredFrame(encoder.buffer);
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return Buffer.from(decompress(buffer));
  },
});

/** Makes kafkajs read and write LZ4 batches (process-wide, idempotent). */
export function registerLz4(): void {
  CompressionCodecs[CompressionTypes.LZ4] = lz4Codec;
}
