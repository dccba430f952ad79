/**
 * The whole TMDB login story as one Effect program.
 *
 *   npm run demo
 *
 * Without credentials it serves the bundled TMDB simulator on 127.0.0.1 and runs against it.
 * With TMDB_BEARER_TOKEN or TMDB_API_KEY set it runs against the real TMDB: a password login
 * when TMDB_USERNAME and TMDB_PASSWORD are set, otherwise it prints the approval URL and waits
 * for Enter.
 */
import { Config, Console, DateTime, Effect, Layer, Option, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import * as readline from "node:readline/promises"
import { Account, Authentication, AuthV4, TmdbConfig, TmdbCredentials } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"

const step = (n: number, text: string) => Console.log(`${String(n).padStart(2)}. ${text}`)
const show = (secret: Redacted.Redacted<string>) =>
  `${Redacted.value(secret).slice(0, 6)}… (${String(secret)} when logged)`

/** Waits for the user to approve the token: Enter in a terminal, or the simulator's approve in the demo. */
type Approve = (request_token: string) => Effect.Effect<void>

const browserStory = (approve: Approve) =>
  Effect.gen(function*() {
    const { webUrl } = yield* TmdbConfig.TmdbConfig
    const key = yield* Authentication.validateKey()
    yield* step(1, `credentials valid: ${key.success}`)

    const token = yield* Authentication.createRequestToken()
    yield* step(2, `request token ${token.request_token.slice(0, 8)}… expires ${DateTime.formatIso(token.expires_at)}`)
    yield* step(3, `approve it at ${Authentication.approvalUrl(token.request_token, { webUrl })}`)

    yield* approve(token.request_token)
    yield* step(4, "approved by the user")

    const session = yield* Authentication.createSession({ request_token: token.request_token })
    yield* step(5, `session ${show(session.session_id)}`)

    const account = yield* Account.details({ session_id: session.session_id })
    yield* step(
      6,
      `logged in as ${account.username} (account #${account.id}${account.name ? `, ${account.name}` : ""})`
    )

    const deleted = yield* Authentication.deleteSession({ session_id: session.session_id })
    yield* step(7, `logged out: ${deleted.success}`)
  })

const passwordStory = (username: string, password: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const session = yield* Authentication.loginWithPassword({ username, password })
    const account = yield* Account.details({ session_id: session.session_id })
    yield* step(8, `password login: ${account.username} has session ${show(session.session_id)}`)
    yield* Authentication.deleteSession({ session_id: session.session_id })
  })

const guestStory = Effect.gen(function*() {
  const guest = yield* Authentication.createGuestSession()
  yield* step(9, `guest session ${show(guest.guest_session_id)} until ${DateTime.formatIso(guest.expires_at)}`)
})

const wrongPasswordStory = (username: string) =>
  Authentication.loginWithPassword({ username, password: "not-the-password" }).pipe(
    Effect.flatMap(() => step(10, "wrong password accepted?! (this should not happen)")),
    Effect.catchTag("InvalidLogin", (error) => step(10, `wrong password caught by tag ${error._tag}: ${error.message}`))
  )

/** v4: request token → approval → user access token → v3 session → account → logout (Bearer only). */
const v4Story = (approve: Approve) =>
  Effect.gen(function*() {
    const { webUrl } = yield* TmdbConfig.TmdbConfig
    const token = yield* AuthV4.createRequestToken()
    yield* step(11, `v4 request token ${token.request_token.slice(0, 8)}… (a JWT, valid 15 minutes)`)
    yield* step(12, `approve it at ${AuthV4.approvalUrl(token.request_token, { webUrl })}`)

    yield* approve(token.request_token)
    yield* step(13, "approved by the user")

    const login = yield* AuthV4.loginToSession({ request_token: token.request_token })
    yield* step(
      14,
      `access token ${show(login.access_token)} for v4 account ${login.account_id}, v3 session ${
        show(login.session_id)
      }`
    )

    const account = yield* Account.details({ session_id: login.session_id }).pipe(
      AuthV4.withAccessToken(login.access_token)
    )
    yield* step(15, `with the user's access token as Bearer: logged in as ${account.username}`)

    const deleted = yield* AuthV4.deleteAccessToken({ access_token: login.access_token })
    yield* step(16, `access token deleted (logged out): ${deleted.success}`)

    yield* Account.details({ session_id: login.session_id }).pipe(
      Effect.flatMap(() =>
        Effect.andThen(
          step(17, "the converted session still works here: deleting it too"),
          Authentication.deleteSession({ session_id: login.session_id })
        )
      ),
      Effect.catchTag(
        "AuthenticationFailed",
        (error) => step(17, `the converted session is gone with it: ${error._tag} (${error.status_message})`)
      )
    )
  })

const againstSimulator = Effect.gen(function*() {
  const simulator = yield* TmdbSimulator.TmdbSimulator
  const { baseUrl } = yield* TmdbConfig.TmdbConfig
  yield* Console.log(`No TMDB credentials set: running against the TMDB simulator at ${baseUrl}\n`)
  yield* browserStory((request_token) => simulator.approve(request_token))
  const { username, password } = TmdbSimulator.defaultAccount
  yield* passwordStory(username, Redacted.make(password))
  yield* guestStory
  yield* wrongPasswordStory(username)
  yield* v4Story((request_token) => simulator.approve(request_token))
}).pipe(
  Effect.provide(Layer.mergeAll(TmdbSimulator.layerServer(), TmdbSimulator.credentials, FetchHttpClient.layer))
)

const waitForEnter: Approve = () =>
  Effect.promise(async () => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout })
    await rl.question("    press Enter once you have approved it in the browser… ")
    rl.close()
  })

const againstTmdb = Effect.gen(function*() {
  yield* Console.log("Running against the real TMDB\n")
  const username = yield* Config.option(Config.String("TMDB_USERNAME"))
  const password = yield* Config.option(Config.Redacted("TMDB_PASSWORD"))
  if (Option.isSome(username) && Option.isSome(password)) {
    yield* Console.log("(TMDB_USERNAME and TMDB_PASSWORD set: steps 1–7 are replaced by the password login)")
    yield* passwordStory(username.value, password.value)
  } else {
    yield* browserStory(waitForEnter)
  }
  yield* guestStory
  const credentials = yield* TmdbCredentials.TmdbCredentials
  if (credentials._tag === "BearerToken" && Option.isNone(username)) {
    yield* v4Story(waitForEnter)
  } else {
    yield* Console.log("(steps 11–17, v4 login, need TMDB_BEARER_TOKEN and a browser: skipped)")
  }
}).pipe(Effect.provide(Layer.mergeAll(TmdbCredentials.layerConfig, FetchHttpClient.layer)))

const program = Effect.gen(function*() {
  const hasCredentials = yield* Config.option(Config.String("TMDB_BEARER_TOKEN")).pipe(
    Effect.zipWith(Config.option(Config.String("TMDB_API_KEY")), (a, b) => Option.isSome(a) || Option.isSome(b))
  )
  yield* hasCredentials ? againstTmdb : againstSimulator
  yield* Console.log("\nDone.")
})

Effect.runPromise(Effect.scoped(program)).catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
