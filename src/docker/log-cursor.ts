// Where a reader stands in a container's stamped log (the logs API with `timestamps=1`), so that
// a read that ended (a dropped connection, a restart) resumes at the exact entry where it
// stopped. The position is the last entry's stamp and how many entries taken carried exactly
// that stamp: Docker's `since` is inclusive and stamps repeat, so the resumed read skips exactly
// that many entries at that stamp, not every entry at it (which would lose lines) nor none
// (which would repeat them). Shared by `logs -f`/attach and the status server's log stream.

import { compareTimestamps, timestampToSince } from "./demux.ts";

/** Index of the space after a leading RFC 3339 stamp, or -1 (raw TTY data may have none). */
export function stampEnd(payload: Uint8Array): number {
  if (payload[4] !== 0x2d || payload[10] !== 0x54) return -1; // "YYYY-" and "T"
  const space = payload.indexOf(0x20, 19);
  return space > 0 && space < 40 ? space : -1;
}

export class LogCursor {
  /** The stamp of the last entry taken. */
  stamp: string | undefined;
  /** How many entries taken carried exactly `stamp`. */
  count = 0;
  #skipLeft = 0;
  #skipping = false;

  /** The logs API's `since` to resume from (inclusive), or undefined: from the start. */
  since(): string | undefined {
    return this.stamp ? timestampToSince(this.stamp) : undefined;
  }

  /** A new read starts at `since()`: what was taken already is skipped again. */
  resume(): void {
    this.#skipping = this.stamp !== undefined;
    this.#skipLeft = this.count;
  }

  /** True while a resumed read may still be passing entries taken before. */
  get skipping(): boolean {
    return this.#skipping;
  }

  /** True when the entry is new (and moves the cursor past it); false: already taken. */
  take(stamp: string): boolean {
    if (!stamp) return true;
    if (this.#skipping) {
      const order = compareTimestamps(stamp, this.stamp!);
      if (order < 0) return false;
      if (order === 0 && this.#skipLeft > 0) {
        this.#skipLeft--;
        return false;
      }
      this.#skipping = false;
    }
    if (stamp === this.stamp) this.count++;
    else this.moveTo(stamp, 1);
    return true;
  }

  /**
   * Sets the position after new entries were taken without `take` (a reader that counts a run
   * of equal stamps as bytes and tells the cursor once per batch): the last `count` carried
   * `stamp`.
   */
  moveTo(stamp: string, count: number): void {
    this.stamp = stamp;
    this.count = count;
  }
}
