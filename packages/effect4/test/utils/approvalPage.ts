/**
 * A person on the simulator's approval page, as a browser acts there: `visit` GETs a URL (and
 * follows redirects, or not), `clickApproval` GETs the page and posts its form back, with the
 * button's decision and the page's own `Origin`, as a browser sends a form. `rawRequest` sends a
 * request with any headers at all (fetch sets `Host` itself): a foreign `Host`, another `Origin`,
 * `Sec-Fetch-Site`.
 */
import { Effect } from "effect"
import * as Http from "node:http"

export interface Visit {
  readonly status: number
  /** The URL the answer came from (the last one, after redirects). */
  readonly url: string
  readonly location: string | null
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

const visitOf = async (response: Response): Promise<Visit> => ({
  status: response.status,
  url: response.url,
  location: response.headers.get("location"),
  headers: Object.fromEntries(response.headers),
  text: await response.text()
})

/** A GET, following redirects unless `manual`. */
export const visit = (url: string, redirect: "follow" | "manual" = "follow") =>
  Effect.promise(() => fetch(url, { redirect }).then(visitOf))

const unescapeHtml = (text: string): string =>
  text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(+code))

/** The approval page's form: where it posts, and its hidden fields. */
export const formOf = (pageUrl: string, html: string) => {
  const action = /<form method="post" action="([^"]*)">/.exec(html)?.[1]
  if (action === undefined) throw new Error(`no form on ${pageUrl}: ${html.slice(0, 300)}`)
  const hidden = Array.from(
    html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g),
    ([, name, value]) => [name!, unescapeHtml(value!)] as const
  )
  return { action: new URL(unescapeHtml(action), pageUrl).href, fields: Object.fromEntries(hidden) }
}

/**
 * Opens the approval page at `pageUrl` and clicks Approve or Deny (for `username`, if given): the
 * form is posted back with the page's `Origin` (or `options.origin`, as another site would send
 * it). The answer to the click, redirects not followed unless `follow`.
 */
export const clickApproval = (
  pageUrl: string,
  decision: "approve" | "deny",
  options: { readonly username?: string; readonly origin?: string; readonly follow?: boolean } = {}
) =>
  Effect.promise(async () => {
    const page = await fetch(pageUrl)
    const { action, fields } = formOf(pageUrl, await page.text())
    const response = await fetch(action, {
      method: "POST",
      redirect: options.follow === true ? "follow" : "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: options.origin ?? new URL(pageUrl).origin
      },
      body: new URLSearchParams({ ...fields, username: options.username ?? "", decision }).toString()
    })
    return visitOf(response)
  })

/** A request over `node:http` with exactly these headers (`Host` included); its status, headers and text. */
export const rawRequest = (
  baseUrl: string,
  request: {
    readonly method?: string
    readonly path: string
    readonly headers?: Readonly<Record<string, string>>
    readonly body?: string
  }
) =>
  Effect.callback<
    { readonly status: number; readonly headers: Http.IncomingHttpHeaders; readonly text: string },
    Error
  >(
    (resume) => {
      const { hostname, port } = new URL(baseUrl)
      const outgoing = Http.request({
        host: hostname,
        port,
        method: request.method ?? "GET",
        path: request.path,
        headers: request.headers,
        agent: false
      }, (incoming) => {
        const chunks: Array<Buffer> = []
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
        incoming.on("end", () =>
          resume(Effect.succeed({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text: Buffer.concat(chunks).toString("utf8")
          })))
      })
      outgoing.on("error", (error) => resume(Effect.fail(error)))
      outgoing.end(request.body)
    }
  )
