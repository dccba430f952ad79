/**
 * Browser login against the simulator served on loopback, with a scripted "browser": a plain
 * HTTP client that GETs the approval URL and follows the redirects back to the callback server.
 */
import { FetchHttpClient } from "@effect/platform"
import { assert, layer } from "@effect/vitest"
import { Deferred, Effect, Layer, Redacted } from "effect"
import { Account } from "tmdb-effect"
import { BrowserLogin } from "tmdb-effect/node"
import { TmdbSimulator } from "tmdb-effect/testing"

interface Visit {
  readonly status: number
  readonly url: string
  readonly location: string | null
  readonly text: string
}

const get = (url: string, redirect: "follow" | "manual" = "follow") =>
  Effect.promise(async (): Promise<Visit> => {
    const response = await fetch(url, { redirect })
    return {
      status: response.status,
      url: response.url,
      location: response.headers.get("location"),
      text: await response.text()
    }
  })

/** An `openUrl` that "opens" the URL in the background; the visit lands in the Deferred. */
const scriptedBrowser = Effect.map(Deferred.make<Visit>(), (visit) => ({
  visit,
  openUrl: (url: string) =>
    Effect.forkDaemon(Effect.flatMap(get(url), (v) => Deferred.succeed(visit, v))).pipe(Effect.asVoid)
}))

const simulator = TmdbSimulator.TmdbSimulator

layer(Layer.mergeAll(TmdbSimulator.layerServer(), TmdbSimulator.credentials, FetchHttpClient.layer), {
  excludeTestServices: true
})("BrowserLogin over loopback", (it) => {
  it.effect("approve: the session is created, the browser told to close the window, the server closed", () =>
    Effect.gen(function*() {
      yield* (yield* simulator).scriptApproval({ decision: "approve" })
      const browser = yield* scriptedBrowser
      let approvalUrl = ""
      const session = yield* BrowserLogin.login({
        openUrl: (url) => Effect.zipRight(Effect.sync(() => void (approvalUrl = url)), browser.openUrl(url))
      })
      const account = yield* Account.details({ session_id: session.session_id })
      assert.strictEqual(account.username, TmdbSimulator.defaultAccount.username)
      const visit = yield* Deferred.await(browser.visit)
      assert.strictEqual(visit.status, 200)
      assert.include(visit.text, "You can close this window")
      const callbackUrl = new URL(approvalUrl).searchParams.get("redirect_to") ?? ""
      assert.match(callbackUrl, /^http:\/\/127\.0\.0\.1:\d+\/callback$/)
      assert.match(visit.url, /request_token=[0-9a-f]{40}&approved=true$/)
      // The callback server is gone with the login's scope.
      const after = yield* Effect.either(Effect.tryPromise(() => fetch(callbackUrl)))
      assert.isTrue(after._tag === "Left")
    }))

  it.effect("deny on the approval page is LoginDenied, and no session is created", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const before = (yield* sim.sessions).length
      yield* sim.scriptApproval({ decision: "deny" })
      const browser = yield* scriptedBrowser
      const error = yield* Effect.flip(BrowserLogin.login({ openUrl: browser.openUrl }))
      assert.strictEqual(error._tag, "LoginDenied")
      const visit = yield* Deferred.await(browser.visit)
      assert.strictEqual(visit.status, 400)
      assert.match(visit.url, /&denied=true$/)
      assert.strictEqual((yield* sim.sessions).length, before)
    }))

  it.effect("no answer before the timeout is LoginTimeout", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(BrowserLogin.login({ openUrl: () => Effect.void, timeout: "300 millis" }))
      assert.strictEqual(error._tag, "LoginTimeout")
      assert.include(error.message, "300ms")
    }))

  it.effect("a redirect with another request token is UnexpectedCallback; nothing is approved", () =>
    Effect.gen(function*() {
      const browser = yield* Deferred.make<Visit>()
      const error = yield* Effect.flip(BrowserLogin.login({
        openUrl: (url) => {
          const callback = new URL(url).searchParams.get("redirect_to") ?? ""
          const forged = `${callback}?request_token=${"0".repeat(40)}&approved=true`
          return Effect.forkDaemon(Effect.flatMap(get(forged), (v) => Deferred.succeed(browser, v))).pipe(
            Effect.asVoid
          )
        }
      }))
      assert.strictEqual(error._tag, "UnexpectedCallback")
      assert.include(error.message, "not the one this login created")
      assert.strictEqual((yield* Deferred.await(browser)).status, 400)
    }))

  it.effect("v4: approve for another account gives its access token", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      yield* sim.addAccount({ username: "jo", password: "pw" })
      yield* sim.scriptApproval({ decision: "approve", username: "jo" })
      const browser = yield* scriptedBrowser
      let approvalUrl = ""
      const token = yield* BrowserLogin.loginV4({
        openUrl: (url) => Effect.zipRight(Effect.sync(() => void (approvalUrl = url)), browser.openUrl(url))
      })
      assert.match(approvalUrl, /\/auth\/access\?request_token=/)
      assert.isTrue(Redacted.isRedacted(token.access_token))
      assert.strictEqual((yield* Deferred.await(browser.visit)).status, 200)
      assert.match(token.account_id, /^[0-9a-f]{24}$/)
    }))

  it.effect("without a script the approval page is a form; its buttons approve or deny", () =>
    Effect.gen(function*() {
      let approvalUrl = ""
      const error = yield* Effect.flip(BrowserLogin.login({
        openUrl: (url) => Effect.sync(() => void (approvalUrl = url)),
        timeout: "1 millis"
      }))
      assert.strictEqual(error._tag, "LoginTimeout")
      const form = yield* get(approvalUrl)
      assert.strictEqual(form.status, 200)
      assert.include(form.text, "<form")
      // The token's login timed out, but the token itself is still valid at TMDB.
      const clicked = yield* get(`${approvalUrl}&decision=deny`, "manual")
      assert.strictEqual(clicked.status, 302)
      assert.match(
        clicked.location ?? "",
        /^http:\/\/127\.0\.0\.1:\d+\/callback\?request_token=[0-9a-f]{40}&denied=true$/
      )
    }))
})
