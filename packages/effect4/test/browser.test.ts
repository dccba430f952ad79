/**
 * The browser example (examples/browser/) in real Chromium, driven by playwright-core: the page
 * on one 127.0.0.1 port, the served simulator on another (every TMDB call is cross-origin, as
 * against TMDB), a person's clicks on the simulator's approval page. Round trip v3 and v4, a
 * reload, logout, denial, a forged and a replayed callback; a screenshot of the logged-in page
 * goes to .tmp/test-output/.
 *
 * Needs Debian's `chromium` (or CHROMIUM_PATH). Without it the suite is skipped with a notice,
 * unless REQUIRE_BROWSER=1 (as .ci/run sets): then it fails.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import type * as Esbuild from "esbuild"
import { existsSync, mkdirSync, statSync } from "node:fs"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import type { Browser, Page } from "playwright-core"
import { chromium } from "playwright-core"
import { TmdbSimulator } from "tmdb-effect/testing"
import { serveExample } from "../examples/browser/server.js"
import { serve } from "./utils/hostileServer.js"

const executablePath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"
const installed = existsSync(executablePath)
const required = process.env["REQUIRE_BROWSER"] === "1"
const outputDir = new URL("../.tmp/test-output/", import.meta.url).pathname
const esbuild: typeof Esbuild = createRequire(createRequire(import.meta.url).resolve("tsup"))("esbuild")

if (!installed && !required) {
  console.warn(
    `Skipping the Chromium test: no Chromium at ${executablePath}. Install it with ` +
      "`apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary."
  )
}

class Example extends Context.Service<Example, {
  readonly pageUrl: string
  readonly simulatorUrl: string
  readonly browser: Browser
}>()("test/Example") {}

const launch = Effect.acquireRelease(
  Effect.tryPromise({
    try: () =>
      chromium.launch({
        executablePath,
        // Chromium's sandbox refuses to run as root
        args: process.getuid?.() === 0 ? ["--no-sandbox"] : []
      }),
    catch: (error) =>
      new Error(
        `Chromium did not start from ${executablePath} (REQUIRE_BROWSER=1 needs it: apt-get install -y chromium): ${
          String(error)
        }`
      )
  }),
  (browser) => Effect.promise(() => browser.close())
)

const ExampleLive = Layer.effect(
  Example,
  Effect.gen(function*() {
    const urls = yield* serveExample()
    return { ...urls, browser: yield* Effect.orDie(launch) }
  })
).pipe(Layer.provideMerge(TmdbSimulator.layer()))

/** A fresh browser profile (empty storages) with one page, for the test's scope. */
const newPage = Effect.gen(function*() {
  const { browser } = yield* Example
  const context = yield* Effect.acquireRelease(
    Effect.promise(() => browser.newContext()),
    (context) => Effect.promise(() => context.close())
  )
  const page = yield* Effect.promise(() => context.newPage())
  page.setDefaultTimeout(20_000)
  const visited: Array<string> = []
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) visited.push(frame.url())
  })
  return { page, visited }
})

const step = <A>(run: () => Promise<A>) => Effect.promise(run)
const statusIs = (page: Page, text: string) => step(() => page.locator("#status", { hasText: text }).waitFor())
const errorText = (page: Page) => step(() => page.locator("#error").innerText())

/** Clicks a login button, lands on the simulator's approval page and clicks `decision` there. */
const logIn = (page: Page, button: "#login" | "#login-v4", decision: "approve" | "deny") =>
  Effect.gen(function*() {
    const { simulatorUrl } = yield* Example
    yield* step(() => page.click(button))
    yield* step(() => page.waitForURL((url) => url.href.startsWith(simulatorUrl)))
    yield* step(() => page.click(`button[value=${decision}]`))
  })

/** test/utils/redirectProbe.ts bundled for the browser. */
const redirectProbe = Effect.promise(async () => {
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL("utils/redirectProbe.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent"
  })
  return result.outputFiles[0]!.text
})

const liveSessions = Effect.map(Effect.flatMap(TmdbSimulator.TmdbSimulator, (s) => s.sessions), (all) => all.length)

describe.skipIf(!installed && !required)("the browser example in Chromium", () => {
  layer(ExampleLive, { excludeTestServices: true, timeout: 60_000 })((it) => {
    it.effect("log in (v3) → logged in as demo → reload, new tab: still logged in → log out → a replayed callback", () =>
      Effect.gen(function*() {
        const { pageUrl } = yield* Example
        const { page, visited } = yield* newPage
        yield* step(() => page.goto(pageUrl))
        yield* statusIs(page, "Not logged in")
        yield* logIn(page, "#login", "approve")
        yield* statusIs(page, `Logged in as ${TmdbSimulator.defaultAccount.username}`)
        const callback = visited.find((url) => url.startsWith(`${pageUrl}callback/`)) ?? ""
        assert.match(callback, /\/callback\/[0-9a-f]{32}\?request_token=\w+&approved=true$/)
        assert.strictEqual(page.url(), pageUrl, "the callback URL is replaced once used")
        assert.strictEqual(yield* liveSessions, 1)
        mkdirSync(outputDir, { recursive: true })
        const screenshot = `${outputDir}chromium-logged-in.png`
        yield* step(() => page.screenshot({ path: screenshot }))
        assert.isAbove(statSync(screenshot).size, 1000)

        yield* step(() => page.reload())
        yield* statusIs(page, `Logged in as ${TmdbSimulator.defaultAccount.username}`)
        // a new tab of the same profile: the login is in localStorage, not only in this tab
        const tab = yield* step(() => page.context().newPage())
        yield* step(() => tab.goto(pageUrl))
        yield* statusIs(tab, `Logged in as ${TmdbSimulator.defaultAccount.username}`)
        yield* step(() => tab.close())

        yield* step(() => page.click("#logout"))
        yield* statusIs(page, "Not logged in")
        assert.strictEqual(yield* liveSessions, 0, "the session is deleted at TMDB")
        assert.strictEqual(yield* step(() => page.evaluate(() => localStorage.length)), 0)

        yield* step(() => page.goto(callback))
        yield* statusIs(page, "Not logged in")
        assert.include(yield* errorText(page), "CallbackReplayed")
      }))

    it.effect("log in (v4): TMDB redirects to redirect_to as given; the access token is kept", () =>
      Effect.gen(function*() {
        const { pageUrl } = yield* Example
        const { page, visited } = yield* newPage
        yield* step(() => page.goto(pageUrl))
        yield* logIn(page, "#login-v4", "approve")
        yield* statusIs(page, "Logged in as v4 account")
        assert.isTrue(visited.some((url) => /\/callback\/[0-9a-f]{32}$/.test(url)), visited.join("\n"))
        yield* step(() => page.reload())
        yield* statusIs(page, "Logged in as v4 account")
        yield* step(() => page.click("#logout"))
        yield* statusIs(page, "Not logged in")
        assert.strictEqual(yield* errorText(page), "")
        const deleted = (yield* Effect.flatMap(TmdbSimulator.TmdbSimulator, (s) => s.requests)).filter((r) =>
          r.method === "DELETE" && r.path === "/4/auth/access_token"
        )
        assert.strictEqual(deleted.length, 1, "the access token is deleted at TMDB")
      }))

    it.effect("deny on the approval page: LoginDenied, not logged in", () =>
      Effect.gen(function*() {
        const { pageUrl } = yield* Example
        const { page } = yield* newPage
        yield* step(() => page.goto(pageUrl))
        yield* logIn(page, "#login", "deny")
        yield* statusIs(page, "Not logged in")
        assert.include(yield* errorText(page), "LoginDenied")
      }))

    it.effect("a forged callback (another state) is refused and the real login still completes", () =>
      Effect.gen(function*() {
        const { pageUrl } = yield* Example
        const { page } = yield* newPage
        yield* step(() => page.goto(pageUrl))
        yield* step(() => page.click("#login"))
        yield* step(() => page.waitForURL(/\/authenticate\//))
        const approvalPage = page.url()
        const request_token = new URL(approvalPage).pathname.split("/").pop() ?? ""
        // the link an attacker would send: this tab's token even, but not this login's state
        yield* step(() =>
          page.goto(`${pageUrl}callback/${"f".repeat(32)}?request_token=${request_token}&approved=true`)
        )
        yield* statusIs(page, "Not logged in")
        assert.include(yield* errorText(page), "ForeignCallback")
        assert.strictEqual(yield* liveSessions, 0)

        yield* step(() => page.goto(approvalPage))
        yield* step(() => page.click("button[value=approve]"))
        yield* statusIs(page, `Logged in as ${TmdbSimulator.defaultAccount.username}`)
      }))

    it.effect("a redirect in Chromium is an opaqueredirect (status 0): UnexpectedResponse, never followed", () =>
      Effect.gen(function*() {
        const { page } = yield* newPage
        let otherOrigin = 0
        const elsewhere = yield* serve((_, response) => {
          otherOrigin++
          response.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" })
          response.end(
            JSON.stringify({ success: true, request_token: "forged", expires_at: "2030-01-01 00:00:00 UTC" })
          )
        })
        const script = yield* redirectProbe
        // the page and its "TMDB" on one origin, which redirects every call to another origin
        const site = yield* serve((request, response) => {
          if (request.url === "/") {
            response.writeHead(200, { "content-type": "text/html" })
            response.end("<!doctype html><script type=\"module\" src=\"/probe.js\"></script>")
          } else if (request.url === "/probe.js") {
            response.writeHead(200, { "content-type": "text/javascript" })
            response.end(script)
          } else if (request.url === "/favicon.ico") {
            response.writeHead(404, { "content-length": 0 })
            response.end()
          } else {
            response.writeHead(302, { location: `${elsewhere}${request.url}`, "content-length": 0 })
            response.end()
          }
        })
        yield* step(() => page.goto(site))
        yield* step(() => page.waitForFunction(() => "probeRedirects" in globalThis))
        const failures = yield* step(() =>
          page.evaluate(
            ([baseUrl, token]) =>
              (globalThis as unknown as { probeRedirects: (b: string, t: string) => Promise<unknown> })
                .probeRedirects(baseUrl, token),
            [site, TmdbSimulator.bearerToken] as const
          )
        )
        const refused = { tag: "UnexpectedResponse", httpStatus: 0 }
        assert.deepStrictEqual(failures, { createRequestToken: refused, start: refused })
        assert.strictEqual(otherOrigin, 0)
      }))
  })
})
