/**
 * Request bodies, read at most once per request and no further than {@link bodyLimit}: TMDB's
 * authentication bodies are a few hundred bytes, so a longer one is refused (413) as soon as it
 * passes the limit — an endless body costs the limit, never more. Both transports hand the app a
 * body that is read only as it is pulled (the server reads its socket no further), so this is the
 * one place a body is read.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/** The most bytes of a request body the simulator reads: 16 KiB. */
export const bodyLimit = 16 * 1024

/** A request body longer than {@link bodyLimit}: answered 413. */
export class BodyTooLarge extends Data.TaggedError("BodyTooLarge")<{ readonly limit: number }> {}

/** The request's body as text (read on first use, then remembered), or {@link BodyTooLarge}. */
export class RequestBody extends Context.Tag("tmdb-effect/testing/RequestBody")<
  RequestBody,
  Effect.Effect<string, BodyTooLarge>
>() {}

const decoder = new TextDecoder()

const joined = (chunks: ReadonlyArray<Uint8Array>, length: number): Uint8Array => {
  const body = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.length
  }
  return body
}

/**
 * The body pulled chunk by chunk up to the limit; past it, reading stops (the stream is
 * cancelled with the scope) and the read fails. A body that is absent or breaks off is `""`.
 */
const readBounded = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<string, BodyTooLarge> =>
  Effect.scoped(Effect.flatMap(Stream.toPull(request.stream), (pull) => {
    const chunks: Array<Uint8Array> = [] // made per request: the loop appends to it
    let bytes = 0
    const next: Effect.Effect<string, BodyTooLarge> = Effect.matchEffect(pull, {
      onFailure: Option.match({
        onNone: () => Effect.sync(() => decoder.decode(joined(chunks, bytes))),
        // no body, or one that could not be read: as if empty
        onSome: () => Effect.succeed("")
      }),
      onSuccess: (chunk) => {
        for (const part of chunk) {
          chunks.push(part)
          bytes += part.length
        }
        return bytes > bodyLimit ? Effect.fail(new BodyTooLarge({ limit: bodyLimit })) : next
      }
    })
    return next
  }))

/** Runs the app with the request's {@link RequestBody}: `""` for GET and HEAD, else read bounded. */
export const withBody = <A, E, R>(
  app: Effect.Effect<A, E, R>
): Effect.Effect<A, E, Exclude<R, RequestBody> | HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    request.method === "GET" || request.method === "HEAD"
      ? Effect.provideService(app, RequestBody, Effect.succeed(""))
      : Effect.flatMap(Effect.cached(readBounded(request)), (body) => Effect.provideService(app, RequestBody, body)))

/** The request's body as text (see {@link RequestBody}). */
export const bodyText: Effect.Effect<string, BodyTooLarge, RequestBody> = Effect.flatten(RequestBody)
