/**
 * Withholding server text that quotes a secret. A server (or a proxy in front of it) may echo the
 * request back in any spelling, so text is not scrubbed of known spellings: it is read as a
 * person could reassemble it, and if it holds a secret of the call, or any run of
 * {@link RUN} characters of one, none of it is shown.
 */
import * as Result from "effect/Result"

/** What stands in for text that was withheld. */
export const WITHHELD = "<withheld: the text quoted a secret of the request>"

/** The shortest part of a secret that counts as quoting it. */
const RUN = 8

/** How many layers of encoding are undone (a double-encoded echo needs two, and so on). */
const MAX_LAYERS = 8

const named: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: "\"",
  apos: "'",
  nbsp: " ",
  sol: "/",
  bsol: "\\",
  num: "#",
  percnt: "%",
  equals: "=",
  plus: "+",
  quest: "?",
  colon: ":",
  comma: ",",
  period: ".",
  lowbar: "_",
  hyphen: "-",
  dash: "-",
  excl: "!",
  dollar: "$",
  ast: "*",
  semi: ";",
  lpar: "(",
  rpar: ")",
  lsqb: "[",
  rsqb: "]",
  lcub: "{",
  rcub: "}",
  verbar: "|",
  grave: "`",
  commat: "@",
  tilde: "~",
  hat: "^",
  newline: "\n",
  tab: "\t"
}

const fromCodePoint = (code: number, otherwise: string): string =>
  Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : otherwise

/** `%HH` runs as UTF-8, else each byte as a Latin-1 character. */
const percentDecode = (run: string): string =>
  Result.getOrElse(
    Result.try(() => decodeURIComponent(run)),
    () => run.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  )

const jsonEscapes: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", b: "", f: "" }

/** Undoes one layer of HTML entities, `\u`/`\x` and JSON escapes, and %-encoding (with `+` as a space). */
const decodeOnce = (text: string): string =>
  text
    .replace(/&#x([0-9a-f]+);?/gi, (match, hex: string) => fromCodePoint(parseInt(hex, 16), match))
    .replace(/&#(\d+);?/g, (match, digits: string) => fromCodePoint(Number(digits), match))
    .replace(/&([a-z]+);?/gi, (match, name: string) => named[name.toLowerCase()] ?? match)
    .replace(/\\u\{([0-9a-f]+)\}/gi, (match, hex: string) => fromCodePoint(parseInt(hex, 16), match))
    .replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\x([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\([nrtbf])/g, (_, letter: string) => jsonEscapes[letter]!)
    .replace(/\\(["'\\/])/g, "$1")
    .replace(/(?:%[0-9a-f]{2})+/gi, percentDecode)
    .replace(/\+/g, " ")

/**
 * Text as a person could read it: encodings undone until nothing changes, compatibility forms
 * folded (full-width letters), case and whitespace (and invisible characters) dropped.
 */
export const readable = (text: string): string => {
  let current = text
  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    const next = decodeOnce(current)
    if (next === current) break
    current = next
  }
  return current.normalize("NFKC").toLowerCase().replace(/[\s\u00ad\u200b-\u200f\u2060\ufeff]+/g, "")
}

const base64UrlJson = (segment: string): string | undefined =>
  Result.getOrUndefined(Result.try(() => {
    const decoded = new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(atob(segment.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))
    )
    JSON.parse(decoded)
    return decoded
  }))

/**
 * A secret and what it carries: a JWT's payload is base64 of JSON whose `aud` is the api_key, so
 * its payload and signature, the decoded payload and each longer string in it count as secrets
 * too (not the header's short, common strings such as `"JWT"`).
 */
const expand = (secret: string): ReadonlyArray<string> => {
  const segments = secret.split(".")
  if (segments.length !== 3) return [secret]
  const payload = base64UrlJson(segments[1]!)
  if (payload === undefined) return [secret]
  const strings = Array.from(payload.matchAll(/"((?:[^"\\]|\\.)*)"/g), (m) => m[1]!).filter((s) => s.length >= RUN)
  return [secret, segments[1]!, segments[2]!, payload, ...strings]
}

/** Whether `text`, read as a person could, holds any of `secrets` or a run of {@link RUN} characters of one. */
export const quotesSecret = (text: string, secrets: ReadonlyArray<string>): boolean => {
  const haystack = readable(text)
  if (haystack.length === 0) return false
  return secrets.flatMap(expand).some((secret) => {
    const needle = readable(secret)
    if (needle.length === 0) return false
    if (needle.length <= RUN) return haystack.includes(needle)
    for (let start = 0; start + RUN <= needle.length; start++) {
      if (haystack.includes(needle.slice(start, start + RUN))) return true
    }
    return false
  })
}

/** `text` if it quotes none of `secrets`, else {@link WITHHELD}. */
export const withhold = (text: string, secrets: ReadonlyArray<string>): string =>
  quotesSecret(text, secrets) ? WITHHELD : text

/** The start of a text on one line, at most `max` characters. */
export const excerpt = (text: string, max = 160): string => {
  const line = text.replace(/\s+/g, " ").trim()
  return line.length > max ? `${line.slice(0, max)}…` : line
}
