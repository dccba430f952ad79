/**
 * TMDB's website pages where a user approves a request token — v3's (`?redirect_to=…`) and
 * v4's (redirecting where the token was created for), at `approvalPaths` — with approvals
 * scripted by the test, so a plain HTTP client following redirects walks the whole browser flow.
 * Showing a page (GET) decides nothing by its URL: a person decides with the page's form, which
 * posts back to the page, and a POST decides only when it comes from the page itself (its
 * `Origin` is the simulator's own), so another site can neither link nor post a decision. A
 * scripted decision stands for the person: it applies when the page is shown, unless a browser
 * says another site sent it there (`Sec-Fetch-Site: cross-site`), and then the form is shown.
 * The pages may not be framed, and send a browser on only to an http(s) `redirect_to`; any other
 * is a 400 page. The redirects are TMDB's: a v3 one carries `request_token` and `approved=true`
 * (or `denied=true`), a v4 one goes to `redirect_to` exactly as given (TMDB adds nothing to it,
 * so a v4 callback learns the outcome only from `AuthV4.createAccessToken`).
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as HttpRouter from "effect/http/HttpRouter"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import { approvalPaths } from "../../internal/util/url.js"
import { bodyText } from "./body.js"
import type { BodyTooLarge } from "./body.js"
import type { ScriptedApproval } from "./model.js"
import { liveRequestToken } from "./state.js"
import type { QueuedApproval, RequestToken, State } from "./state.js"

/** Queues a scripted decision; an error message for an unknown account. */
export const scriptApproval = (state: State, approval: ScriptedApproval): string | undefined => {
  if (approval.username !== undefined && !state.accounts.has(approval.username)) {
    return `TmdbSimulator: unknown account "${approval.username}"`
  }
  const times = approval.times ?? 1
  if (times === "always" || times > 0) {
    state.approvalScript.push({
      decision: approval.decision,
      username: approval.username,
      remaining: times === "always" ? Infinity : times
    })
  }
  return undefined
}

const takeDecision = (state: State): QueuedApproval | undefined => {
  const script = state.approvalScript
  const next = script[0]
  if (next === undefined) return undefined
  next.remaining -= 1
  if (next.remaining <= 0) script.shift()
  return next
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** Never cached, never framed (a framed page's buttons could be clicked for another site). */
const pageHeaders = {
  "cache-control": "no-store",
  "x-frame-options": "DENY",
  "content-security-policy": "frame-ancestors 'none'"
}

const page = (status: number, title: string, body: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)} — TmdbSimulator</title></head>` +
      `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    { status, contentType: "text/html;charset=utf-8", headers: pageHeaders }
  )

const invalidToken = () =>
  page(404, "Invalid request token", "<p>This request token is unknown, expired or already used.</p>")

const invalidRedirect = () =>
  page(400, "Invalid redirect_to", "<p>redirect_to must be an absolute http or https URL. Nothing was decided.</p>")

const noDecision = () => page(400, "No decision", "<p>Choose Approve or Deny. Nothing was decided.</p>")

const notFromThePage = () =>
  page(403, "Not from the approval page", "<p>Approve or deny on the approval page itself. Nothing was decided.</p>")

const redirect = (location: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.redirect(location, { status: 302, headers: pageHeaders })

const withQuery = (url: string, params: Record<string, string>): string =>
  `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams(params).toString()}`

/**
 * Where a browser may be sent for a `redirect_to`: an absolute http or https URL, as given (TMDB
 * keeps it so) unless it has characters a header can't carry as they are (then as the URL
 * parser spells it). `undefined` for anything else: another scheme (`javascript:`, `data:`), a
 * relative URL, control characters.
 */
const locationOf = (redirectTo: string): string | undefined => {
  if (/[\u0000-\u001f\u007f]/.test(redirectTo)) return undefined
  let url: URL
  try {
    url = new URL(redirectTo)
  } catch {
    return undefined
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined
  return /^[\x20-\x7e]*$/.test(redirectTo) ? redirectTo : url.href
}

interface ApprovalPage {
  readonly request_token: string
  /** The `redirect_to` as given, if any (v3 keeps it in the form, v4 in the token). */
  readonly redirectTo: string | undefined
  /** The page's own URL path, where its form posts. */
  readonly action: string
}

/** What a page acts on: its live token, and where the browser goes afterwards (if anywhere). */
type Checked =
  | { readonly token: RequestToken; readonly location: string | undefined }
  | HttpServerResponse.HttpServerResponse

/** The page's token, live, and its `redirect_to`, checked; else the page that refuses them. */
const check = (state: State, shown: ApprovalPage, version: 3 | 4, now: number): Checked => {
  const token = liveRequestToken(state, shown.request_token, version, now)
  if (token === undefined) return invalidToken()
  if (shown.redirectTo === undefined) return { token, location: undefined }
  const location = locationOf(shown.redirectTo)
  return location === undefined ? invalidRedirect() : { token, location }
}

const decide = (
  state: State,
  { location, token }: { readonly token: RequestToken; readonly location: string | undefined },
  request_token: string,
  version: 3 | 4,
  decision: { readonly decision: "approve" | "deny"; readonly username: string | undefined }
): HttpServerResponse.HttpServerResponse => {
  if (decision.decision === "deny") {
    token.status = "denied"
    token.username = undefined
  } else {
    const account = decision.username === undefined
      ? state.accounts.values().next().value
      : state.accounts.get(decision.username)
    if (account === undefined) return page(400, "Unknown account", "<p>There is no such account.</p>")
    token.status = "approved"
    token.username = account.username
  }
  const outcome = decision.decision === "approve" ? { approved: "true" } : { denied: "true" }
  if (location === undefined) {
    return page(200, decision.decision === "approve" ? "Approved" : "Denied", "<p>You can close this window.</p>")
  }
  return redirect(version === 4 ? location : withQuery(location, { request_token, ...outcome }))
}

/** The form a person clicks: it posts back to the page, with the token (and v3's `redirect_to`). */
const form = (shown: ApprovalPage, version: 3 | 4): string => {
  const hidden = (name: string, value: string | undefined) =>
    value === undefined ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`
  return `<p>An application wants to use your TMDB account.</p>` +
    `<form method="post" action="${escapeHtml(shown.action)}">` +
    hidden("request_token", shown.request_token) + (version === 3 ? hidden("redirect_to", shown.redirectTo) : "") +
    `<label>Username <input name="username"></label> ` +
    `<button name="decision" value="approve">Approve</button> <button name="decision" value="deny">Deny</button>` +
    `</form>`
}

/**
 * The approval page for a request token (GET): the scripted user's decision on it, or the form.
 * Its URL's own fields (`decision=approve`) decide nothing: a link from anywhere could carry them.
 */
const show = (state: State, shown: ApprovalPage, version: 3 | 4) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const checked = check(state, shown, version, yield* Clock.currentTimeMillis)
    if (HttpServerResponse.isHttpServerResponse(checked)) return checked
    // a browser sent here by another site sees the form; the script waits for its own page
    const scripted = request.headers["sec-fetch-site"] === "cross-site" ? undefined : takeDecision(state)
    return scripted === undefined
      ? page(200, "Approve access", form(shown, version))
      : decide(state, checked, shown.request_token, version, scripted)
  })

/**
 * Whether a POST comes from a page of this simulator: its `Origin` is the request's own (a
 * browser sends `Origin` with every form POST), or without one, the browser says `same-origin`.
 */
const fromOwnPage = (request: HttpServerRequest.HttpServerRequest): boolean => {
  const origin = request.headers["origin"]
  return origin === undefined
    ? request.headers["sec-fetch-site"] === "same-origin"
    : origin === new URL(request.originalUrl).origin
}

/** A click on the page's form (POST): the decision, if it comes from the page itself. */
const clicked = (state: State, shownBy: (fields: URLSearchParams) => ApprovalPage, version: 3 | 4) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (!fromOwnPage(request)) return notFromThePage()
    const fields = new URLSearchParams(yield* bodyText)
    const shown = shownBy(fields)
    const checked = check(state, shown, version, yield* Clock.currentTimeMillis)
    if (HttpServerResponse.isHttpServerResponse(checked)) return checked
    const decision = fields.get("decision")
    if (decision !== "approve" && decision !== "deny") return noDecision()
    const username = fields.get("username") ?? ""
    return decide(state, checked, shown.request_token, version, {
      decision,
      username: username === "" ? undefined : username
    })
  })

/** The request's URL path and query. */
const requested = Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
  const url = new URL(request.originalUrl)
  return { path: url.pathname, query: Object.fromEntries(url.searchParams) }
})

const v3Page = `${approvalPaths.v3}:request_token` as const

/** The v3 page's token, from its path. */
const v3Token = Effect.map(HttpRouter.params, ({ request_token = "" }) => request_token)

/** TMDB's approval pages: GET shows one, POST is a click on its form. */
export const approvalPages = (state: State): ReadonlyArray<HttpRouter.Route<BodyTooLarge>> => [
  HttpRouter.route(
    "GET",
    v3Page,
    Effect.gen(function*() {
      const { path, query } = yield* requested
      return yield* show(state, { request_token: yield* v3Token, redirectTo: query["redirect_to"], action: path }, 3)
    })
  ),
  HttpRouter.route(
    "POST",
    v3Page,
    Effect.gen(function*() {
      const { path } = yield* requested
      const request_token = yield* v3Token
      return yield* clicked(state, (fields) => ({
        request_token,
        redirectTo: fields.get("redirect_to") ?? undefined,
        action: path
      }), 3)
    })
  ),
  HttpRouter.route(
    "GET",
    approvalPaths.v4,
    Effect.gen(function*() {
      const { path, query } = yield* requested
      const request_token = query["request_token"] ?? ""
      return yield* show(state, { request_token, redirectTo: redirectOf(state, request_token), action: path }, 4)
    })
  ),
  HttpRouter.route(
    "POST",
    approvalPaths.v4,
    Effect.gen(function*() {
      const { path } = yield* requested
      return yield* clicked(state, (fields) => {
        const request_token = fields.get("request_token") ?? ""
        return { request_token, redirectTo: redirectOf(state, request_token), action: path }
      }, 4)
    })
  )
]

/** Where a v4 token's page sends the browser: the `redirect_to` it was created with. */
const redirectOf = (state: State, request_token: string): string | undefined =>
  state.requestTokens.get(request_token)?.redirectTo
