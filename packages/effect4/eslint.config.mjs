import * as effectEslint from "@effect/eslint-plugin"
import tseslint from "typescript-eslint"

/**
 * The layers of `src/internal/`, lowest first: each imports only from the layers below it (and
 * the public modules named for it), never upwards.
 *   util    — pure helpers (input, url, loopback, the sliding window): nothing of ours
 *   redact  — withholding server text that quotes a secret: util
 *   client  — one call to TMDB (endpoint, request, send, bounded body, decode, retry, the session
 *             an account call reads): util, redact, and the public modules it is built on (errors,
 *             config, credentials, pacing)
 *   login   — the v3 and v4 login flows, once: everything below, and the endpoint modules
 */
const layer = (folder, allowed, message) => ({
  files: [`src/internal/${folder}/**/*.ts`],
  rules: {
    "no-restricted-imports": ["error", {
      patterns: [{ regex: `^\\.\\.?/(?!${allowed.join("|")})`, message }, barrels]
    }]
  }
})

/**
 * In `src/`, Effect is imported by module path (`effect/Effect`, `effect/http/HttpClient`), never
 * from a barrel (`effect`, `effect/http`, `effect/persistence`): cold import and bundle size are
 * measured against 1.x. (A module path starts with a capital; a barrel's last segment does not.)
 */
const barrels = {
  regex: "^effect(/[a-z-]+)?$",
  caseSensitive: true,
  message: "import Effect by module path (effect/Effect, effect/http/HttpClient), never from a barrel"
}

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", ".tmp/", "docs/"] },
  ...tseslint.configs.strict,
  ...effectEslint.configs.dprint,
  {
    rules: {
      "@effect/dprint": ["error", {
        config: {
          indentWidth: 2,
          lineWidth: 120,
          semiColons: "asi",
          quoteStyle: "alwaysDouble",
          trailingCommas: "never",
          operatorPosition: "maintain",
          "arrowFunction.useParentheses": "force"
        }
      }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-namespace": "off",
      "@typescript-eslint/no-non-null-assertion": "off"
    }
  },
  {
    files: ["src/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [barrels] }] }
  },
  // a pattern is matched against what follows the first "./" or "../": a file beside this one
  // (no folder in it), a layer below (`util/`, …), or a public module named for this layer
  layer("util", ["[^./][^/]*$"], "internal/util imports nothing of ours outside util"),
  layer("redact", ["[^./][^/]*$", "util/"], "internal/redact imports only internal/util"),
  layer(
    "client",
    ["[^./][^/]*$", "util/", "redact/", "\\.\\./(TmdbError|TmdbConfig|TmdbCredentials|TmdbRateLimiter)\\.js$"],
    "internal/client imports only util, redact and the modules it is built on: never a layer above it"
  ),
  layer(
    "login",
    [
      "[^./][^/]*$",
      "util/",
      "redact/",
      "client/",
      "\\.\\./(TmdbError|TmdbConfig|TmdbCredentials|TmdbRateLimiter|Authentication|AuthV4|Account)\\.js$"
    ],
    "internal/login imports the layers below it and the endpoint modules, nothing above"
  ),
  {
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" }
  }
)
