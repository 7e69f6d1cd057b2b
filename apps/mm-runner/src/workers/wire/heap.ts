/** A worker's heap as it crosses to the main thread (issue 26): plain numbers, bytes. */

/** One isolate's memory, bytes. */
export interface HeapFigures {
  /** V8 heap in use (`used_heap_size`). */
  readonly used: number;
  /** V8 heap reserved (`total_heap_size`). */
  readonly total: number;
  /** Memory of C++ objects bound to this isolate's JS objects (`external_memory`). */
  readonly external: number;
  /**
   * Heap in use just after the last full (mark-sweep-compact) collection: the live set,
   * without the garbage `used` also counts between collections. What a leak moves.
   * Absent before the first one.
   */
  readonly afterGc?: number;
}
