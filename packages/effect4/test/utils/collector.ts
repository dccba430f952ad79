/**
 * Finding leaks: a test Tracer and Logger that keep everything, every rendering of every outcome
 * (String, JSON.stringify, util.inspect, Cause.pretty, logs, spans), and a search of all of it for
 * secrets in the spellings a leak would take.
 */
import { assert } from "@effect/vitest"
import { Cause, Effect, Exit, Logger, Option, Redacted, References, Tracer } from "effect"
import { inspect } from "node:util"

const htmlEscape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(
    /'/g,
    "&#39;"
  )
/** Plain, URL-encoded (both ways), JSON-escaped (once and twice) and HTML-escaped. */
export const formsOf = (secret: string): ReadonlyArray<string> => [
  ...new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(JSON.stringify(secret)).slice(2, -2),
    htmlEscape(secret)
  ])
]

interface RecordedSpan {
  readonly span: Tracer.Span
  readonly events: Array<{ readonly name: string; readonly attributes: Record<string, unknown> | undefined }>
}

export const safeJson = (value: unknown): string => {
  try {
    return JSON.stringify(value, (_, v) => typeof v === "bigint" ? v.toString() : v) ?? "undefined"
  } catch (error) {
    return `<JSON.stringify failed: ${String(error)}>`
  }
}
export const renderings = (
  value: unknown
): Array<string> => [String(value), safeJson(value), inspect(value, { depth: 10 })]

/**
 * Every text a logger could make of one log entry: each of Effect's formats, the message, the
 * annotations, and the cause as `Cause.pretty` and as a logger that serialises it (an
 * OpenTelemetry exporter, a JSON sink) shows it.
 */
export const logRenderings = (options: Logger.Options<unknown>): Array<string> => [
  Logger.formatSimple.log(options),
  Logger.formatLogFmt.log(options),
  Logger.formatJson.log(options),
  safeJson(Logger.formatStructured.log(options)),
  inspect(options.message, { depth: 10 }),
  inspect(options.fiber.getRef(References.CurrentLogAnnotations), { depth: 10 }),
  Cause.pretty(options.cause),
  inspect(options.cause, { depth: 10 }),
  safeJson(Cause.squash(options.cause))
]

/**
 * A collector for one run: `fixed` are the secrets known up front, `markers` fragments no output
 * may contain (they catch a partial or re-encoded leak).
 */
export const makeCollector = (fixed: ReadonlyArray<string>, markers: ReadonlyArray<string>) => {
  const texts: Array<string> = []
  const spans: Array<RecordedSpan> = []
  const logs: Array<string> = []
  const learned = new Set<string>()
  const outcomes: Array<{ readonly label: string; readonly exit: Exit.Exit<unknown, unknown> }> = []

  const tracer = Tracer.make({
    span: ({ annotations, kind, links, name, parent, sampled, startTime }) => {
      const attributes = new Map<string, unknown>()
      const events: RecordedSpan["events"] = []
      let status: Tracer.SpanStatus = { _tag: "Started", startTime }
      const allLinks = [...links]
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span-${spans.length}`,
        traceId: "trace",
        parent,
        annotations,
        get status() {
          return status
        },
        attributes,
        links: allLinks,
        sampled,
        kind,
        end: (endTime, exit) => {
          status = { _tag: "Ended", startTime, endTime, exit }
        },
        attribute: (key, value) => {
          attributes.set(key, value)
        },
        event: (eventName, _time, eventAttributes) => {
          events.push({ name: eventName, attributes: eventAttributes })
        },
        addLinks: (more) => {
          allLinks.push(...more)
        }
      }
      spans.push({ span, events })
      return span
    }
  })

  const logger = Logger.make((options) => {
    logs.push(...logRenderings(options))
  })

  /** Runs `effect` with the test Tracer and Logger (level All). */
  const instrument = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.withTracer(tracer),
      Effect.provideService(References.MinimumLogLevel, "All"),
      Effect.provide(Logger.layer([logger]))
    )

  /** Runs a call, records every rendering of its outcome, and logs it at Debug with annotations. */
  const observe = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>) =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(effect)
      outcomes.push({ label, exit })
      if (Exit.isSuccess(exit)) {
        texts.push(...renderings(exit))
        yield* Effect.logDebug(`${label} succeeded`, exit.value).pipe(Effect.annotateLogs({ label, value: exit.value }))
      } else {
        const failure = Cause.findErrorOption(exit.cause)
        if (Option.isSome(failure)) {
          const error = failure.value
          texts.push(...renderings(error))
          if (error instanceof Error) texts.push(error.message, error.stack ?? "", error.toString())
          yield* Effect.logDebug(`${label} failed`, error).pipe(Effect.annotateLogs({ label, error }))
        }
        texts.push(Cause.pretty(exit.cause), ...renderings(exit.cause))
        yield* Effect.logError(`${label} failed`, exit.cause)
      }
      return exit
    })

  /** Learns a secret produced during the run (a session id, an access token). */
  const learn = (secret: Redacted.Redacted<string> | string) => {
    learned.add(typeof secret === "string" ? secret : Redacted.value(secret))
  }

  const spanTexts = (): Array<string> =>
    spans.flatMap(({ events, span }) => [
      span.name,
      inspect([...span.attributes], { depth: 10 }),
      ...[...span.attributes.values()].map((value) => String(value)),
      inspect(events, { depth: 10 }),
      safeJson(events),
      inspect(span.links, { depth: 4 }),
      ...(span.status._tag === "Ended"
        ? [
          inspect(span.status.exit, { depth: 10 }),
          ...(Exit.isFailure(span.status.exit) ? [Cause.pretty(span.status.exit.cause)] : [])
        ]
        : [])
    ])

  /** Searches every output for every secret, in every form, and for the markers. */
  const assertNoLeak = () => {
    const all = [...texts, ...logs, ...spanTexts()]
    const haystack = all.join("\n\u0000\n")
    const needles = [...[...fixed, ...learned].flatMap(formsOf), ...markers]
    for (const needle of needles) {
      if (haystack.includes(needle)) {
        const text = all.find((candidate) => candidate.includes(needle)) ?? ""
        assert.fail(`a secret (${needle.slice(0, 4)}…) leaked into:\n${text.slice(0, 600)}`)
      }
    }
    return all.length
  }

  return { instrument, observe, learn, assertNoLeak, spans, logs, texts, spanTexts, outcomes, learned }
}

export type Collector = ReturnType<typeof makeCollector>

export const failureTag = (exit: Exit.Exit<unknown, unknown>): string | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  const failure = Cause.findErrorOption(exit.cause)
  return Option.isSome(failure) ? (failure.value as { readonly _tag: string })._tag : "defect or interruption"
}

export const assertNoDefects = (collector: Collector) => {
  for (const { exit, label } of collector.outcomes) {
    if (Exit.isFailure(exit)) {
      assert.isTrue(Option.isSome(Cause.findErrorOption(exit.cause)), `${label}: ${Cause.pretty(exit.cause)}`)
      assert.isFalse(Cause.hasDies(exit.cause), `${label}: ${Cause.pretty(exit.cause)}`)
    }
  }
}
