/**
 * The sliding window that pacing is judged by, written once for the library's limiters and the
 * simulator's TMDB-like limit: a place counts from when it is taken until it ends, and a new one
 * fits while fewer than the limit count.
 *
 * A server counts a request when it arrives, some time between the request's start and its
 * answer. So a limiter keeps a request's place until {@link hold} — `interval` after the
 * answer (or failure) came back, plus {@link margin} — and however long the trip took, the
 * arrival it stands for has left the server's window by then. A request cut short (interrupted:
 * a caller's timeout, a shutdown) may have been sent and still be on its way, so its place is
 * kept one interval longer. The simulator, at the server's side, counts an arrival for
 * `interval` from the moment it arrives.
 */

/**
 * Millis a place is kept past `interval` after its answer: timers fire on whole milliseconds,
 * so a place freed at exactly one interval can let the next request arrive a hair early.
 */
export const margin = 5

/**
 * How long after its request ended (`cutShort`: interrupted rather than answered or failed) a
 * place still counts, in millis.
 */
export const hold = (interval: number, cutShort = false): number => (cutShort ? 2 : 1) * interval + margin

/** One place: it counts until `until` (epoch millis; `Infinity` while its request is out). */
export interface Place {
  until: number
}

/** The places of one budget. */
export class SlidingWindow {
  private readonly places: Array<Place> = []

  /** The places still counting at `now` (the others are dropped). */
  private counting(now: number): number {
    for (let i = this.places.length - 1; i >= 0; i--) {
      if (this.places[i]!.until <= now) this.places.splice(i, 1)
    }
    return this.places.length
  }

  /** Whether one more place fits at `now` under `limit`. */
  fits(now: number, limit: number): boolean {
    return this.counting(now) < limit
  }

  /** A place taken at `now`, counting until `until`; call only when it {@link fits}. */
  take(until: number): Place {
    const place = { until }
    this.places.push(place)
    return place
  }

  /**
   * When the next place frees up, as far as is known at `now`: the earliest end among the
   * places that have one, or `undefined` while every place is held by a request still out.
   */
  nextFree(now: number): number | undefined {
    this.counting(now)
    let next = Infinity
    for (const { until } of this.places) next = Math.min(next, until)
    return Number.isFinite(next) ? next : undefined
  }
}
