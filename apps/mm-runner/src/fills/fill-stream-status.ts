/** The trade stream as `/status`, `/readyz`, the metrics and the page show it. */
export interface FillStreamStatus {
  /** `kafka`: the venue's topic; `embedded`: the in-process venue's own stream; `poll`: none. */
  readonly mode: "kafka" | "embedded" | "poll";
  /** `live`: fills arrive; `down`: polls stand in (say why in `detail`); `connecting`: not yet. */
  readonly state: "connecting" | "live" | "down";
  /** Since when, ms since the epoch. */
  readonly since: number;
  readonly detail?: string;
  readonly topic?: string;
  /** Partition → the last offset read. */
  readonly lastOffset: Readonly<Record<string, string>>;
  /** Messages on the topic not read yet (the high watermark minus the next offset). */
  readonly lag: number;
  /** Messages on the topic that were not DoneMessages we could read: skipped, never booked. */
  readonly garbage: number;
  /** Fills handed to a worker and not yet booked. */
  readonly pending: number;
  /** Times the stream went down. */
  readonly outages: number;
}
