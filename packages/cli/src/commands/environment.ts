/**
 * What every command takes, and where its session is kept: the options, else their environment
 * variables. Where its requests go is `tmdb.ts`'s (loaded only by what sends one).
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as NodeSessionStore from "tmdb-effect/node/NodeSessionStore"

/** The options every command takes. */
export interface Common {
  readonly json: boolean
  readonly baseUrl: Option.Option<string>
  readonly webUrl: Option.Option<string>
  readonly store: Option.Option<string>
}

/** A variable of the environment; unset or empty is `None`. */
export const variable = (name: string): Option.Option<string> => {
  const value = process.env[name]
  return value === undefined || value === "" ? Option.none() : Option.some(value)
}

/** A secret from the environment (TMDB_PASSWORD), redacted from the moment it is read. */
export const secret = (name: string): Option.Option<Redacted.Redacted<string>> =>
  Option.map(variable(name), (value) => Redacted.make(value))

/** The option, else its variable. */
export const given = (option: Option.Option<string>, name: string) => Option.orElse(option, () => variable(name))

/** The session file: `--store`, else TMDB_AUTH_STORE, else NodeSessionStore's default. */
export const store = (options: Common) =>
  NodeSessionStore.layer({ path: Option.getOrUndefined(given(options.store, "TMDB_AUTH_STORE")) })

/** A command's result: a line of text, or (with `--json`) the fields of its one object. */
export interface Printed {
  readonly text: string
  readonly json: Readonly<Record<string, unknown>>
}

/** An ISO-8601 date in UTC, as the CLI prints them. */
export const iso = (dateTime: DateTime.DateTime): string => DateTime.formatIso(dateTime)
