/**
 * Telling objects apart when a value may come from plain JavaScript (or parsed configuration),
 * without being thrown at by a revoked proxy.
 */

/** Whether a value is an array; a revoked proxy is not one (reading it fails instead). */
export const isArray = (value: object): boolean => {
  try {
    return Array.isArray(value)
  } catch {
    return false
  }
}

/**
 * Whether a value is an object whose fields can be read (not `null`, not an array); a revoked
 * proxy is one (reading it fails where it is read).
 */
export const isObject = (value: unknown): value is object =>
  typeof value === "object" && value !== null && !isArray(value)
