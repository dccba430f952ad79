import * as effectEslint from "@effect/eslint-plugin"
import tseslint from "typescript-eslint"

/**
 * In `src/`, Effect is imported by module path (`effect/Effect`, `effect/cli/Command`), never
 * from a barrel (`effect`, `effect/cli`, `effect/http`): a barrel would pull every module of it
 * into the bundle, and into the CLI's start. (A module path starts with a capital; a barrel's
 * last segment does not.) tmdb-effect likewise: `tmdb-effect/Authentication`, never `tmdb-effect`.
 */
const barrels = [
  {
    regex: "^effect(/[a-z-]+)?$",
    caseSensitive: true,
    message: "import Effect by module path (effect/Effect, effect/cli/Command), never from a barrel"
  },
  {
    regex: "^tmdb-effect(/[a-z-]+)?$",
    caseSensitive: true,
    message: "import tmdb-effect by module path (tmdb-effect/Authentication, tmdb-effect/node/NodeSessionStore)"
  }
]

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", ".tmp/"] },
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
    rules: { "no-restricted-imports": ["error", { patterns: barrels }] }
  },
  {
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" }
  }
)
