/**
 * Field schemas shared by the endpoint modules' answers.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"

/** A secret string on the wire (non-empty), `Redacted` in the decoded value. */
export const SecretString = /* @__PURE__ */ Schema.RedactedFromValue(Schema.NonEmptyString)

/**
 * A field TMDB may send as `null` or leave out: either decodes to `fallback`. (Where TMDB is
 * loose, decoding is tolerant; where it matters, fields are required.)
 */
export const orDefault = <A extends string | boolean>(
  schema: Schema.Codec<A>,
  fallback: A
) =>
  Schema.NullOr(schema).pipe(
    Schema.decodeTo(schema, {
      decode: SchemaGetter.transform((value: A | null) => value ?? fallback),
      encode: SchemaGetter.transform((value: A) => value)
    }),
    Schema.withDecodingDefault(Effect.succeed(null))
  )

/** A string TMDB may send as `null` or leave out, which then decodes to `null`. */
export const NullableString = /* @__PURE__ */ Schema.NullOr(Schema.String).pipe(
  /* @__PURE__ */ Schema.withDecodingDefault(/* @__PURE__ */ Effect.succeed(null))
)
