/**
 * Browser login against the simulator served on loopback, with a scripted "browser": a plain
 * HTTP client that GETs the approval URL and follows the redirects back to the callback server.
 */
import { assert, layer } from "@effect/vitest"
import { Deferred, Effect, Layer, Redacted } from "effect"
import type { Duration } from "effect"
import { FetchHttpClient } from "effect/http"
import * as Http from "node:http"
import { Account } from "tmdb-effect"
import { BrowserLogin } from "tmdb-effect/node"
import { TmdbSimulator } from "tmdb-effect/testing"
import { clickApproval, visit as get } from "./utils/approvalPage.js"
import type { Visit } from "./utils/approvalPage.js"

/** A GET with the `Host` header of our choosing (fetch sets its own). */
const getWithHost = (url: string, host: string) =>
  Effect.callback<number>((resume) => {
    const target = new URL(url)
    const request = Http.get(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, headers: { host } },
      (response) => {
        response.resume()
        resume(Effect.succeed(response.statusCode ?? 0))
      }
    )
    request.on("error", () => resume(Effect.succeed(-1)))
  })

/** The callback URL and request token in a v3 approval URL. */
const partsOf = (approvalUrl: string) => {
  const url = new URL(approvalUrl)
  return {
    callback: url.searchParams.get("redirect_to") ?? "",
    request_token: url.pathname.split("/").pop() ?? ""
  }
}

/**
 * A v3 login whose browser first sends `forgeries` (made from the approval URL's parts) and, once
 * they are answered, approves for real: the login's session and the forgeries' HTTP statuses.
 */
const loginAfterForgeries = (
  forgeries: (parts: ReturnType<typeof partsOf>) => Effect.Effect<ReadonlyArray<number>>
) =>
  Effect.gen(function*() {
    const statuses = yield* Deferred.make<ReadonlyArray<number>>()
    const session = yield* BrowserLogin.login({
      openUrl: (url) =>
        Effect.forkDetach(
          forgeries(partsOf(url)).pipe(
            Effect.tap((answered) => Deferred.succeed(statuses, answered)),
            Effect.andThen(get(url)) // then the user approves for real
          )
        ).pipe(Effect.asVoid)
    })
    return { session, statuses: yield* Deferred.await(statuses) }
  })

/** An `openUrl` that "opens" the URL in the background; the visit lands in the Deferred. */
const scriptedBrowser = Effect.map(Deferred.make<Visit>(), (visit) => ({
  visit,
  openUrl: (url: string) =>
    Effect.forkDetach(Effect.flatMap(get(url), (v) => Deferred.succeed(visit, v))).pipe(Effect.asVoid)
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
        openUrl: (url) => Effect.andThen(Effect.sync(() => void (approvalUrl = url)), browser.openUrl(url))
      })
      const account = yield* Account.details({ session_id: session.session_id })
      assert.strictEqual(account.username, TmdbSimulator.defaultAccount.username)
      const visit = yield* Deferred.await(browser.visit)
      assert.strictEqual(visit.status, 200)
      assert.include(visit.text, "You can close this window")
      const callbackUrl = new URL(approvalUrl).searchParams.get("redirect_to") ?? ""
      assert.match(callbackUrl, /^http:\/\/127\.0\.0\.1:\d+\/callback\/[0-9a-f]{32}$/)
      assert.match(visit.url, /request_token=[0-9a-f]{40}&approved=true$/)
      // The callback server is gone with the login's scope.
      const after = yield* Effect.result(Effect.tryPromise(() => fetch(callbackUrl)))
      assert.strictEqual(after._tag, "Failure")
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

  it.effect("a timeout that never ends, or is not a duration, is InvalidConfig before any request", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const before = (yield* sim.requests).length
      for (const timeout of [Infinity, "0 millis", -1, "soon", 2 ** 31] as const) {
        const error = yield* Effect.flip(
          BrowserLogin.login({ openUrl: () => Effect.void, timeout: timeout as Duration.Input })
        )
        assert.strictEqual(error._tag, "InvalidConfig", String(timeout))
        assert.include(error.message, "BrowserLogin.timeout")
      }
      assert.strictEqual((yield* sim.requests).length, before)
    }))

  it.effect("forged callbacks get a 400 and the login keeps waiting for its own", () =>
    Effect.gen(function*() {
      yield* (yield* simulator).scriptApproval({ decision: "approve" })
      const { session, statuses } = yield* loginAfterForgeries(({ callback, request_token }) => {
        const origin = new URL(callback).origin
        return Effect.all([
          // another request token, on this login's own path
          Effect.map(get(`${callback}?request_token=${"0".repeat(40)}&approved=true`), (v) => v.status),
          // no state: the bare callback path, with the right token, or a denial
          Effect.map(get(`${origin}/callback?request_token=${request_token}&approved=true`), (v) => v.status),
          Effect.map(get(`${origin}/callback?denied=true`), (v) => v.status),
          // a wrong state
          Effect.map(get(`${origin}/callback/${"f".repeat(32)}?denied=true`), (v) => v.status)
        ])
      })
      assert.deepStrictEqual(statuses, [400, 400, 400, 400])
      const account = yield* Account.details({ session_id: session.session_id })
      assert.strictEqual(account.username, TmdbSimulator.defaultAccount.username)
    }))

  it.effect("the right callback sent to another Host gets a 400; the login keeps waiting for its own", () =>
    Effect.gen(function*() {
      yield* (yield* simulator).scriptApproval({ decision: "approve" })
      const { session, statuses } = yield* loginAfterForgeries(({ callback, request_token }) => {
        const port = new URL(callback).port
        const denial = `${callback}?request_token=${request_token}&denied=true`
        // a page elsewhere, or a DNS name rebound to 127.0.0.1; and a Host without the port
        return Effect.all([getWithHost(denial, `evil.example:${port}`), getWithHost(denial, "127.0.0.1")])
      })
      assert.deepStrictEqual(statuses, [400, 400])
      assert.isTrue(Redacted.isRedacted(session.session_id))
    }))

  it.effect("a denial without the state ends nothing: the login times out", () =>
    Effect.gen(function*() {
      const visit = yield* Deferred.make<Visit>()
      const error = yield* Effect.flip(BrowserLogin.login({
        timeout: "1 second",
        openUrl: (url) => {
          const { callback } = partsOf(url)
          const denial = get(`${new URL(callback).origin}/callback?denied=true`)
          return Effect.forkDetach(Effect.flatMap(denial, (v) => Deferred.succeed(visit, v))).pipe(Effect.asVoid)
        }
      }))
      assert.strictEqual(error._tag, "LoginTimeout")
      const answered = yield* Deferred.await(visit)
      assert.strictEqual(answered.status, 400)
      assert.include(answered.text, "not the approval the login in your terminal is waiting for")
    }))

  it.effect("a callback with this login's state needs no query (TMDB documents none)", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const session = yield* BrowserLogin.login({
        openUrl: (url) => {
          const { callback, request_token } = partsOf(url)
          return Effect.forkDetach(Effect.andThen(sim.approve(request_token), get(callback))).pipe(Effect.asVoid)
        }
      })
      assert.isTrue(Redacted.isRedacted(session.session_id))
      assert.isTrue((yield* sim.sessions).some((s) => s.session_id === Redacted.value(session.session_id)))
    }))

  it.effect("a denial with this login's state is LoginDenied", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(BrowserLogin.login({
        openUrl: (url) => Effect.forkDetach(get(`${partsOf(url).callback}?denied=true`)).pipe(Effect.asVoid)
      }))
      assert.strictEqual(error._tag, "LoginDenied")
    }))

  it.effect("v4: the redirect carries nothing (as TMDB's); approve for another account gives its access token", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      yield* sim.addAccount({ username: "jo", password: "pw" })
      yield* sim.scriptApproval({ decision: "approve", username: "jo" })
      const browser = yield* scriptedBrowser
      let approvalUrl = ""
      const token = yield* BrowserLogin.loginV4({
        openUrl: (url) => Effect.andThen(Effect.sync(() => void (approvalUrl = url)), browser.openUrl(url))
      })
      assert.match(approvalUrl, /\/auth\/access\?request_token=/)
      assert.isTrue(Redacted.isRedacted(token.access_token))
      const visit = yield* Deferred.await(browser.visit)
      assert.strictEqual(visit.status, 200)
      assert.match(visit.url, /^http:\/\/127\.0\.0\.1:\d+\/callback\/[0-9a-f]{32}$/)
      assert.match(token.account_id, /^[0-9a-f]{24}$/)
    }))

  it.effect("v4: a denial, told by the same bare redirect, is LoginDenied", () =>
    Effect.gen(function*() {
      yield* (yield* simulator).scriptApproval({ decision: "deny" })
      const browser = yield* scriptedBrowser
      const error = yield* Effect.flip(BrowserLogin.loginV4({ openUrl: browser.openUrl }))
      assert.strictEqual(error._tag, "LoginDenied")
      const visit = yield* Deferred.await(browser.visit)
      assert.strictEqual(visit.status, 400)
      assert.match(visit.url, /^http:\/\/127\.0\.0\.1:\d+\/callback\/[0-9a-f]{32}$/)
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
      // A link that carries a decision decides nothing: the page is the form again.
      const linked = yield* get(`${approvalUrl}&decision=deny`, "manual")
      assert.strictEqual(linked.status, 200)
      assert.include(linked.text, "<form")
      // The token's login timed out, but the token itself is still valid at TMDB: a click posts the form.
      const clicked = yield* clickApproval(approvalUrl, "deny")
      assert.strictEqual(clicked.status, 302)
      assert.match(
        clicked.location ?? "",
        /^http:\/\/127\.0\.0\.1:\d+\/callback\/[0-9a-f]{32}\?request_token=[0-9a-f]{40}&denied=true$/
      )
    }))
})
