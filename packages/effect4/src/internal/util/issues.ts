/**
 * Reading a Schema failure without its messages' values: where each leaf issue is (a path of
 * field names) and what it is. A message may quote the value, and the value may be a secret, so
 * callers describe a failure from these, never from the formatted text.
 */
import type * as SchemaIssue from "effect/SchemaIssue"

/** One leaf issue and the path of fields it sits at. */
export interface Located {
  readonly path: ReadonlyArray<PropertyKey>
  readonly leaf: SchemaIssue.Leaf
}

/** The leaf issues of an issue, in order, each with its path. */
export const leavesOf = (issue: SchemaIssue.Issue, path: ReadonlyArray<PropertyKey> = []): Array<Located> => {
  switch (issue._tag) {
    case "Pointer":
      return leavesOf(issue.issue, [...path, ...issue.path])
    case "Composite":
    case "AnyOf":
      return issue.issues.flatMap((inner) => leavesOf(inner, path))
    case "Filter":
    case "Encoding":
      return leavesOf(issue.issue, path)
    default:
      return [{ path, leaf: issue }]
  }
}

/** A path as a dotted name, e.g. `"retry.baseDelay"` (empty for the value itself). */
export const pathName = (path: ReadonlyArray<PropertyKey>): string => path.map(String).join(".")
