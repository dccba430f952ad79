/**
 * URL helpers shared by the endpoint modules.
 */

/** Whether a URL is http(s): the only schemes TMDB, its website and a return page are served on. */
export const isHttp = (url: URL): boolean => url.protocol === "https:" || url.protocol === "http:"

/** A base URL without its trailing slashes, so `base + "/3/…"` has exactly one. */
export const withoutTrailingSlash = (base: string): string => base.endsWith("/") ? base.replace(/\/+$/, "") : base

/** The website next to an API origin, where TMDB's approval pages are: `api.example` → `www.example`. */
export const websiteOf = (apiOrigin: string): string => apiOrigin.replace(/^(https?:\/\/)api\./, "$1www.")

/**
 * TMDB's website pages where the user approves a request token: v3's takes the token as the
 * path's last segment, v4's as the `request_token` query parameter. The client builds their
 * URLs; the simulator serves them.
 */
export const approvalPaths = { v3: "/authenticate/", v4: "/auth/access" } as const
