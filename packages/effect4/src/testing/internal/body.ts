/**
 * Request bodies, read at most once per request and no further than {@link bodyLimit}: TMDB's
 * authentication bodies are a few hundred bytes, so a longer one is refused (413) as soon as it
 * passes the limit — an endless body costs the limit, never more. Effect's own bounded read
 * (`HttpIncomingMessage.MaxBodySize`) does the reading: it refuses a `Content-Length` past the
 * limit before reading anything, stops pulling once the bytes pass it, and keeps the text on the
 * request, so every reader of one request shares one read. Both transports hand the app a body
 * that is read only as it is pulled (the server reads its socket no further).
 */
import * as ByteSize from "effect/ByteSize"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as HttpIncomingMessage from "effect/http/HttpIncomingMessage"
import * as HttpServerRequest from "effect/http/HttpServerRequest"

/** The most bytes of a request body the simulator reads: 16 KiB. */
export const bodyLimit = 16 * 1024

/** A request body longer than {@link bodyLimit}: answered 413. */
export class BodyTooLarge extends Data.TaggedError("BodyTooLarge")<{ readonly limit: number }> {}

/**
 * The request's body as text, or {@link BodyTooLarge}. A body that is absent (GET, HEAD) or
 * breaks off is `""`.
 */
export const bodyText: Effect.Effect<string, BodyTooLarge, HttpServerRequest.HttpServerRequest> = Effect.flatMap(
  HttpServerRequest.HttpServerRequest,
  (request) =>
    request.text.pipe(
      Effect.provideService(HttpIncomingMessage.MaxBodySize, ByteSize.bytes(bodyLimit)),
      Effect.catchTag("HttpServerError", ({ reason }) =>
        reason._tag === "RequestParseError" && reason.reason === "BodyTooLarge"
          ? Effect.fail(new BodyTooLarge({ limit: bodyLimit }))
          // a body that could not be read: as if empty
          : Effect.succeed(""))
    )
)
