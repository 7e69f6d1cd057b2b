// lz4js ships no types: the two functions the Kafka codec uses.
declare module "lz4js" {
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  const lz4js: { compress: typeof compress; decompress: typeof decompress };
  export default lz4js;
}

declare module "lz4js/xxh32.js" {
  const xxh32: { hash(seed: number, src: Uint8Array, index: number, length: number): number };
  export default xxh32;
}
