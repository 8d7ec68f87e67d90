// The layering of chidao, checked by dependency-cruiser (`npm run lint`). The rules say what may not depend on what;
// README.md ("Architecture") and the team's STYLE.md §4 say why.
/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle makes load order matter and hides which side owns the shared part; move it to its owner.",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-orphans",
      severity: "error",
      comment: "A module nothing imports and that imports nothing is dead code or a forgotten entry point.",
      from: {
        orphan: true,
        // server/web/public/: the dashboard's browser scripts, loaded by its pages, not imported.
        pathNot: ["\\.d\\.ts$", "^(eslint|vitest|vitest\\.faults|prisma)\\.config\\.(js|ts)$", "^\\.dependency-cruiser\\.cjs$", "^server/web/public/"],
      },
      to: {},
    },
    {
      name: "domain-imports-only-domain",
      severity: "error",
      comment: "server/domain holds pure rules: nothing of ours outside itself (no database, queue, HTTP, bot or documents).",
      from: { path: "^server/domain/" },
      to: { dependencyTypes: ["local", "localmodule", "aliased"], pathNot: "^server/domain/" },
    },
    {
      name: "domain-packages",
      severity: "error",
      comment: "server/domain may use zod and node:crypto (hashing); any other package or Node module means I/O or a framework.",
      from: { path: "^server/domain/" },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown", "core"], pathNot: ["^node_modules/zod/", "^(node:)?crypto$"] },
    },
    {
      name: "features-not-entry-layers",
      severity: "error",
      comment: "Use cases are called by the entry layers (HTTP, bot, jobs), never the other way round.",
      from: { path: "^server/features/" },
      to: { path: "^(server/http|bot|server/jobs)/", pathNot: "^server/jobs/delivery-queue\\.ts$" },
    },
    {
      name: "features-job-port-type-only",
      severity: "error",
      comment:
        "server/jobs/delivery-queue.ts is the port publishing and the sweep hand delivery ids to (a type, no code); " +
        "features may name it, type-only, and receive the implementation as an argument.",
      from: { path: "^server/features/" },
      to: { path: "^server/jobs/delivery-queue\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "routes-not-app",
      severity: "error",
      comment: "The HTTP layer does not import the module that assembles it; shared types live in server/http/deps.ts.",
      from: { path: "^server/http/" },
      to: { path: "^server/app\\.ts$" },
    },
    {
      name: "server-not-bot",
      severity: "error",
      comment: "server/ never imports bot/; only the composition root server/runtime.ts starts the bot and injects it.",
      from: { path: "^server/", pathNot: "^server/runtime\\.ts$" },
      to: { path: "^bot/" },
    },
    {
      name: "documents-not-templates",
      severity: "error",
      comment:
        "templates/ are built on the document engine (layout model, body parsing, fonts, the template contract); " +
        "the engine never imports a template. The registry is templates/index.ts.",
      from: { path: "^server/documents/" },
      to: { path: "^templates/" },
    },
    {
      name: "documents-no-io-layers",
      severity: "error",
      comment: "The document engine is pure: no database, queue, HTTP or use cases.",
      from: { path: "^server/documents/" },
      to: { path: "^server/(db|jobs|http|features)/" },
    },
    {
      name: "product-not-tests",
      severity: "error",
      comment: "Shipped code never imports tests, benches or scripts.",
      from: { path: "^(server|bot|templates)/" },
      to: { path: "^(tests|bench|scripts)/" },
    },
    {
      name: "product-not-dev-deps",
      severity: "error",
      comment: "The image installs production dependencies only; shipped code must not need a devDependency.",
      from: { path: "^(server|bot|templates)/" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "^server/db/generated/"] },
    exclude: { path: ["^coverage/", "^data/"] },
    // Type-only imports count: the layering is about design, not only about what loads at run time.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".js", ".mjs", ".cjs", ".json"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
