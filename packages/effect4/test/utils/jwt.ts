/**
 * App read access tokens for tests: JWTs of the shape TMDB issues (an HS256 header; the API key
 * as `aud`, `scopes`, `version`), built here rather than taken from the simulator, so that the
 * tests check our parsing against tokens of their own. Nothing checks the signature.
 */

/** A value's JSON in base64url, as a JWT's segments are. */
export const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url")

/** An app token for the API key `aud` (and `sub`, when given), with `signature` as its last segment. */
export const appToken = (claims: { readonly aud: string; readonly sub?: string }, signature: string): string =>
  `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ ...claims, scopes: ["api_read"], version: 1 })}.${signature}`
