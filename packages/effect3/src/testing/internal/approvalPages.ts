/**
 * TMDB's website pages where a user approves a request token — v3's (`?redirect_to=…`) and
 * v4's (redirecting where the token was created for), at `approvalPaths` — with approvals
 * scripted by the test, so a plain HTTP client following redirects walks the whole browser flow.
 * The redirects are TMDB's: a v3 one carries `request_token` and `approved=true` (or
 * `denied=true`), a v4 one goes to `redirect_to` exactly as given (TMDB adds nothing to it, so a
 * v4 callback learns the outcome only from `AuthV4.createAccessToken`).
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { approvalPaths } from "../../internal/url.js"
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

const noStore = { "cache-control": "no-store" }

const page = (status: number, title: string, body: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)} — TmdbSimulator</title></head>` +
      `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    { status, contentType: "text/html;charset=utf-8", headers: noStore }
  )

const redirect = (location: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.redirect(location, { status: 302, headers: noStore })

const withQuery = (url: string, params: Record<string, string>): string =>
  `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams(params).toString()}`

interface ApprovalPage {
  readonly request_token: string
  /** Where to send the browser afterwards, if anywhere. */
  readonly redirectTo: string | undefined
  /** The page's own URL path, for the form's buttons. */
  readonly action: string
}

const decide = (
  state: State,
  token: RequestToken,
  shown: ApprovalPage,
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
  if (shown.redirectTo === undefined) {
    return page(200, decision.decision === "approve" ? "Approved" : "Denied", "<p>You can close this window.</p>")
  }
  return redirect(
    version === 4 ? shown.redirectTo : withQuery(shown.redirectTo, { request_token: shown.request_token, ...outcome })
  )
}

const form = (shown: ApprovalPage): string => {
  const hidden = shown.redirectTo === undefined
    ? ""
    : `<input type="hidden" name="redirect_to" value="${escapeHtml(shown.redirectTo)}">`
  const tokenField = `<input type="hidden" name="request_token" value="${escapeHtml(shown.request_token)}">`
  return `<p>An application wants to use your TMDB account.</p>` +
    `<form method="get" action="${escapeHtml(shown.action)}">${hidden}${tokenField}` +
    `<label>Username <input name="username"></label> ` +
    `<button name="decision" value="approve">Approve</button> <button name="decision" value="deny">Deny</button>` +
    `</form>`
}

/** The approval page for a request token, or the scripted user's (or the form's) decision on it. */
const approvalPage = (state: State, shown: ApprovalPage, query: Readonly<Record<string, string>>, version: 3 | 4) =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const token = liveRequestToken(state, shown.request_token, version, now)
    if (token === undefined) {
      return page(404, "Invalid request token", "<p>This request token is unknown, expired or already used.</p>")
    }
    const clicked = query["decision"]
    if (clicked === "approve" || clicked === "deny") {
      const username = query["username"]
      return decide(state, token, shown, version, {
        decision: clicked,
        username: username === undefined || username === "" ? undefined : username
      })
    }
    const scripted = takeDecision(state)
    return scripted === undefined
      ? page(200, "Approve access", form(shown))
      : decide(state, token, shown, version, scripted)
  })

/** The request's URL (absolute) and its query. */
const requested = Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
  const url = new URL(request.originalUrl)
  return { path: url.pathname, query: Object.fromEntries(url.searchParams) }
})

/** TMDB's approval pages, for GET. */
export const approvalPages = (state: State) =>
  HttpRouter.empty.pipe(
    HttpRouter.get(
      `${approvalPaths.v3}:request_token`,
      Effect.gen(function*() {
        const { path, query } = yield* requested
        const { request_token = "" } = yield* HttpRouter.params
        return yield* approvalPage(state, { request_token, redirectTo: query["redirect_to"], action: path }, query, 3)
      })
    ),
    HttpRouter.get(
      approvalPaths.v4,
      Effect.gen(function*() {
        const { path, query } = yield* requested
        const request_token = query["request_token"] ?? ""
        const redirectTo = state.requestTokens.get(request_token)?.redirectTo
        return yield* approvalPage(state, { request_token, redirectTo, action: path }, query, 4)
      })
    )
  )
