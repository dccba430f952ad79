/**
 * The CLI's own failures, beside the library's: each a tagged error whose `message` a user can
 * act on. Their exit codes are in src/ExitCode.ts, with every other tag's.
 */
import * as Schema from "effect/Schema"

/** Not logged in: nothing stored, expired, or TMDB no longer accepts the stored session. */
export class NotLoggedIn extends Schema.TaggedError<NotLoggedIn>("tmdb-auth/NotLoggedIn")("NotLoggedIn", {
  reason: Schema.String
}) {
  override get message(): string {
    return `Not logged in: ${this.reason}; run \`tmdb-auth login\``
  }
}

/**
 * A value the user did not give, which would need a prompt, when stdin is not a terminal: a
 * script or CI job fails at once instead of waiting for input that never comes.
 */
export class MissingInput extends Schema.TaggedError<MissingInput>("tmdb-auth/MissingInput")("MissingInput", {
  what: Schema.String,
  supply: Schema.String
}) {
  override get message(): string {
    return `No ${this.what}, and stdin is not a terminal to prompt on: ${this.supply}`
  }
}

/** TMDB could not be asked to end the session; the stored copy is kept for another try. */
export class LogoutIncomplete
  extends Schema.TaggedError<LogoutIncomplete>("tmdb-auth/LogoutIncomplete")("LogoutIncomplete", {
    reason: Schema.String
  })
{
  override get message(): string {
    return `Not logged out: ${this.reason}. The stored session is kept so that it can still be ended; ` +
      "run `tmdb-auth logout` again to retry"
  }
}
