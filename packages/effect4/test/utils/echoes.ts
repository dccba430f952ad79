/**
 * How a hostile server echoes a request back: the spellings of the echo (every encoding a person
 * still reads at sight), the kinds of answer it goes in, and the tests' own reading of an output
 * (written apart from the library's).
 */
import type { ServerResponse } from "node:http"

/**
 * The test's own reading of an output (written apart from the library's): entities, escapes and
 * %-encodings undone a few times, then only letters and digits, lower-cased.
 */
export const canonical = (text: string): string => {
  let current = text
  for (let i = 0; i < 6; i++) {
    const next = current
      .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16) % 0x110000))
      .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d) % 0x110000))
      .replace(
        /&(amp|lt|gt|quot|apos);/g,
        (_, n: string) => ({ amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'" })[n]!
      )
      .replace(/\\u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    if (next === current) break
    current = next
  }
  return current.normalize("NFKC").toLowerCase().replace(/[^a-z0-9]/g, "")
}

const htmlEscape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;")
const codes = (s: string) => Array.from(s, (c) => c.codePointAt(0)!)

export const spellings: Record<string, (s: string) => string> = {
  plain: (s) => s,
  htmlNamed: htmlEscape,
  htmlDecimal: (s) => codes(s).map((c) => `&#${c};`).join(""),
  htmlHex: (s) => codes(s).map((c) => `&#x${c.toString(16)};`).join(""),
  unicodeEscaped: (s) => s.split("").map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
  json: (s) => JSON.stringify(s),
  jsonTwice: (s) => JSON.stringify(JSON.stringify(s)),
  percent: encodeURIComponent,
  percentEveryByte: (s) =>
    Array.from(new TextEncoder().encode(s), (b) => `%${b.toString(16).padStart(2, "0")}`).join(""),
  percentTwice: (s) => encodeURIComponent(encodeURIComponent(s)),
  form: (s) => new URLSearchParams({ q: s }).toString().slice(2),
  htmlOfPercent: (s) => htmlEscape(encodeURIComponent(s)),
  upperCase: (s) => s.toUpperCase(),
  wrapped: (s) => s.replace(/(.{12})/g, "$1\n"),
  spacedOut: (s) => s.split("").join(" "),
  zeroWidth: (s) => s.split("").join("\u200b"),
  fullWidth: (s) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
  cutAtWidth: (s) => (s.match(/.{1,40}/gs) ?? []).map((line) => line.slice(0, 30)).join("\n")
}

export const send = (status: number, body: string, type = "application/json") => (response: ServerResponse) => {
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) })
  response.end(body)
}

/** Where the echo goes: every kind of answer an endpoint may get. */
export const shapes: Record<string, (echo: string) => (response: ServerResponse) => void> = {
  htmlPage: (e) => send(400, `<html><body><h1>Bad Request</h1><pre>${e}</pre></body></html>`, "text/html"),
  knownCode: (e) => send(401, JSON.stringify({ success: false, status_code: 7, status_message: e })),
  failureFlag: (e) => send(200, JSON.stringify({ success: false, status_code: 47, status_message: e, failure: true })),
  unknownCode: (e) => send(418, JSON.stringify({ success: false, status_code: 999, status_message: e })),
  errors: (e) => send(422, JSON.stringify({ errors: [e] })),
  errorsSplit: (e) => send(422, JSON.stringify({ errors: e.match(/.{1,7}/gs) ?? [] })),
  wrongShape: (e) => send(200, JSON.stringify({ success: true, echo: e })),
  plainText: (e) => send(404, e, "text/plain")
}
