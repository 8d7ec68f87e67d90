// ESLint 9 flat config: typescript-eslint's type-aware rules plus the few project rules that keep the layering honest
// (config only through server/config/env.ts, logs only through pino, no raw SQL strings). Formatting is Prettier's job.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Files that may read `process.env` besides server/config/env.ts: they set up or spawn processes, not run chidao. */
const ENV_READERS = [
  "tests/helpers/**", // test-env.ts: where the test databases and Redis are, child-process environments
  "tests/setup/**", // global-setup.ts hands the run id to the test workers through the environment
  "tests/faults/**", // the fault suite starts real web and worker processes with their own environment
  "bench/**", // benchmark knobs (BENCH_*), never read by chidao itself
  "scripts/**", // npm scripts run outside chidao (postinstall, migrations, Prisma generate)
  "prisma.config.ts", // read by Prisma's CLI, not by chidao at run time
];

export default tseslint.config(
  { ignores: ["node_modules/", "server/db/generated/", "coverage/", "data/"] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      // `typeof import("x")` stays allowed: it names the type of a module loaded lazily without loading it.
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      // `declare global { namespace Express { ... } }` is how Express's Request is augmented; real namespaces stay banned.
      "@typescript-eslint/no-namespace": ["error", { allowDeclarations: true }],
      // An async function without await still turns a synchronous throw into a rejection, which interface methods rely on.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through server/config/env.ts (zod-checked, documented in .env.example)." },
        { property: "$queryRawUnsafe", message: "Build SQL with Prisma.sql fragments and $queryRaw; values stay parameters." },
        { property: "$executeRawUnsafe", message: "Build SQL with Prisma.sql fragments and $executeRaw; values stay parameters." },
      ],
    },
  },
  {
    // Plain JavaScript (this file, postinstall, dependency-cruiser's config) has no types to check.
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    // The dashboard's scripts run in the browser.
    files: ["server/web/public/**/*.js"],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The one reader of the environment, and the tools around chidao that set environments up.
    files: ["server/config/env.ts", ...ENV_READERS],
    rules: {
      "no-restricted-properties": [
        "error",
        { property: "$queryRawUnsafe", message: "Build SQL with Prisma.sql fragments and $queryRaw; values stay parameters." },
        { property: "$executeRawUnsafe", message: "Build SQL with Prisma.sql fragments and $executeRaw; values stay parameters." },
      ],
    },
  },
  {
    // Tests read JSON of unknown shape (supertest's `res.body` is `any`, the Bot API stand-in's params are `unknown`)
    // and check it with expect(); typing every response body would add casts, not safety.
    files: ["tests/**"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-base-to-string": "off",
      "@typescript-eslint/restrict-template-expressions": "off",
    },
  },
  {
    // The product logs through pino (server/config/logger.ts) so every line is structured and scrubbed of secrets.
    files: ["server/**", "bot/**", "templates/**"],
    rules: { "no-console": "error" },
  },
);
