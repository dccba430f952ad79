/**
 * Scrubbing of secrets from text that may echo a request back (error pages, network errors).
 */

const REDACTED = "<redacted>"

const forms = (secret: string): ReadonlyArray<string> => {
  const encoded = encodeURIComponent(secret)
  const json = JSON.stringify(secret).slice(1, -1)
  return [...new Set([secret, encoded, json])]
}

/** Replaces every occurrence of each secret (plain, URL-encoded, JSON-escaped) in `text`. */
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
