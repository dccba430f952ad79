/**
 * TMDB's website pages where a user approves a request token — `/authenticate/{token}` (v3,
 * `?redirect_to=…`) and `/auth/access?request_token=…` (v4, redirecting where the token was
 * created for) — with approvals scripted by the test, so a plain HTTP client following
 * redirects walks the whole browser flow.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type { Handler } from "./core.js"
import type { QueuedApproval, RequestToken, State } from "./state.js"
import { answer } from "./wire.js"
import type { Answer } from "./wire.js"

/** What the scripted user does on the next approval page(s). */
export interface ScriptedApproval {
  readonly decision: "approve" | "deny"
  /** The account that approves (default: the first one). */
  readonly username?: string | undefined
  /** How many pages this answers (default 1), or `"always"`. */
  readonly times?: number | "always" | undefined
}

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

const page = (status: number, title: string, body: string): Answer =>
  answer(
    status,
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)} — TmdbSimulator</title></head>` +
      `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    { "content-type": "text/html;charset=utf-8", "cache-control": "no-store" }
  )

const redirect = (location: string): Answer => answer(302, "", { location, "cache-control": "no-store" })

const withQuery = (url: string, params: Record<string, string>): string =>
  `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams(params).toString()}`

interface Approval {
  readonly request_token: string
  /** Where to send the browser afterwards, if anywhere. */
  readonly redirectTo: string | undefined
  /** The page's own URL path, for the form's buttons. */
  readonly action: string
}

const decide = (
  state: State,
  token: RequestToken,
  approval: Approval,
  decision: { readonly decision: "approve" | "deny"; readonly username: string | undefined }
): Answer => {
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
  return approval.redirectTo === undefined
    ? page(200, decision.decision === "approve" ? "Approved" : "Denied", "<p>You can close this window.</p>")
    : redirect(withQuery(approval.redirectTo, { request_token: approval.request_token, ...outcome }))
}

const form = (approval: Approval): string => {
  const hidden = approval.redirectTo === undefined
    ? ""
    : `<input type="hidden" name="redirect_to" value="${escapeHtml(approval.redirectTo)}">`
  const tokenField = `<input type="hidden" name="request_token" value="${escapeHtml(approval.request_token)}">`
  return `<p>An application wants to use your TMDB account.</p>` +
    `<form method="get" action="${escapeHtml(approval.action)}">${hidden}${tokenField}` +
    `<label>Username <input name="username"></label> ` +
    `<button name="decision" value="approve">Approve</button> <button name="decision" value="deny">Deny</button>` +
    `</form>`
}

const approvalPage = (state: State, approval: Approval, query: Readonly<Record<string, string>>, version: 3 | 4) =>
  Effect.map(Clock.currentTimeMillis, (now): Answer => {
    const token = state.requestTokens.get(approval.request_token)
    if (
      token === undefined || (token.version === 4 ? 4 : 3) !== version || token.status === "used" ||
      now >= token.expiresAt
    ) {
      return page(404, "Invalid request token", "<p>This request token is unknown, expired or already used.</p>")
    }
    const clicked = query["decision"]
    if (clicked === "approve" || clicked === "deny") {
      const username = query["username"]
      return decide(state, token, approval, {
        decision: clicked,
        username: username === undefined || username === "" ? undefined : username
      })
    }
    const scripted = takeDecision(state)
    return scripted === undefined
      ? page(200, "Approve access", form(approval))
      : decide(state, token, approval, scripted)
  })

const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

const V3_PAGE = /^\/authenticate\/([^/]+)\/?$/

/** The handler, with the approval pages in front of it (GET only; other requests pass through). */
export const withApprovalPages = (state: State, handler: Handler): Handler => (head, readBody) => {
  if (head.method === "GET") {
    const v3 = V3_PAGE.exec(head.path)
    if (v3?.[1] !== undefined) {
      const request_token = safeDecode(v3[1])
      return approvalPage(
        state,
        { request_token, redirectTo: head.query["redirect_to"], action: head.path },
        head.query,
        3
      )
    }
    if (head.path === "/auth/access") {
      const request_token = head.query["request_token"] ?? ""
      const token = state.requestTokens.get(request_token)
      return approvalPage(state, { request_token, redirectTo: token?.redirectTo, action: head.path }, head.query, 4)
    }
  }
  return handler(head, readBody)
}
