/**
 * Building an approval URL inside an Effect, for the browser logins of every entry.
 */
import * as Effect from "effect/Effect"
import { InvalidInput } from "../TmdbError.js"

/** `approvalUrl` throws `InvalidInput` for what is not a request token; here it is a typed failure. */
export const approval = (build: () => string): Effect.Effect<string, InvalidInput> =>
  Effect.try({
    try: build,
    catch: (error) =>
      error instanceof InvalidInput
        ? error
        : new InvalidInput({ field: "request_token", reason: "no approval URL can be built from it" })
  })
