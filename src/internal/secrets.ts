/**
 * Scrubbing of secrets from text that may echo a request back (error pages, network errors).
 */
import { escapeHtml } from "./html.js"

const REDACTED = "<redacted>"

/**
 * The ways a secret can appear in text that echoes a request: as is, URL-encoded (as
 * `encodeURIComponent`, with lowercase escapes, and as a form/query value, where a space is
 * `+`), JSON-escaped (once or twice), and HTML-escaped. Longest first, so a longer form is replaced before a shorter one inside it.
 */
const forms = (secret: string): ReadonlyArray<string> => {
  const encoded = encodeURIComponent(secret)
  const form = new URLSearchParams({ s: secret }).toString().slice(2)
  const json = JSON.stringify(secret).slice(1, -1)
  return [
    ...new Set([
      secret,
      encoded,
      encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
      form,
      json,
      // JSON inside a JSON string, as a page quoting a request body would show it
      JSON.stringify(json).slice(1, -1),
      escapeHtml(secret)
    ])
  ].sort((a, b) => b.length - a.length)
}

/** Replaces every occurrence of each secret, in each of its forms, in `text`. */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string => {
  let result = text
  for (const secret of secrets) {
    if (secret.length === 0) continue
    for (const form of forms(secret)) result = result.split(form).join(REDACTED)
  }
  return result
}

/** A short, single-line, scrubbed excerpt of a body. */
export const excerpt = (text: string, secrets: ReadonlyArray<string>, max = 160): string => {
  const line = scrub(text, secrets).replace(/\s+/g, " ").trim()
  return line.length > max ? `${line.slice(0, max)}…` : line
}
