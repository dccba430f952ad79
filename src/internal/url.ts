/**
 * URL helpers shared by the endpoint modules.
 */

/** A base URL without its trailing slashes, so `origin + "/3/…"` has exactly one. */
export const origin = (base: string): string => base.endsWith("/") ? base.replace(/\/+$/, "") : base
