/**
 * The in-memory simulator with credentials, behind an `HttpClient` that timestamps each request
 * with Effect's Clock, so `TestClock` shows exactly when it was sent.
 */
import { HttpClient } from "@effect/platform"
import { Clock, Effect, Layer } from "effect"
import { TmdbSimulator } from "tmdb-effect/testing"

export const timedSimulator = (times: Array<number>) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.tapRequest(client, () => Effect.map(Clock.currentTimeMillis, (now) => void times.push(now))))
  ).pipe(Layer.provideMerge(TmdbSimulator.layer()), Layer.merge(TmdbSimulator.credentials))
