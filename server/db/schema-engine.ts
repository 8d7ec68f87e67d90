/**
 * Loads Prisma's schema engine compiled to WebAssembly (`@prisma/schema-engine-wasm`).
 *
 * The Prisma 7 CLI downloads a native schema engine from a host that our machines cannot reach
 * (see ../shared/docs/PRISMA-OFFLINE.md). The WebAssembly build does the same work through a
 * driver adapter, so developer tooling (`npm run db:diff`) and the schema-agreement test use it.
 * The package is built for bundlers, so we instantiate the `.wasm` ourselves with its JS glue as
 * the import object.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);

type Glue = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
export type SchemaEngine = import("@prisma/schema-engine-wasm").SchemaEngine;

let gluePromise: Promise<Glue> | undefined;

async function loadGlue(): Promise<Glue> {
  const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  // The .wasm is not in the package's exports map: locate it beside the exported glue.
  const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
  const bytes = await readFile(wasmPath);
  // @types/node does not declare the WebAssembly global; its shape here is all we use.
  const wasm = (globalThis as unknown as { WebAssembly: { instantiate(b: Uint8Array, i: object): Promise<{ instance: { exports: Record<string, unknown> } }> } }).WebAssembly;
  const { instance } = await wasm.instantiate(bytes, { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

/**
 * Creates a schema engine for `schemaText`, connected (lazily) to `databaseUrl`.
 * Diffing between two datamodels never touches the database.
 */
export async function createSchemaEngine(schemaText: string, databaseUrl: string): Promise<SchemaEngine> {
  gluePromise ??= loadGlue();
  const glue = await gluePromise;
  const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  return glue.SchemaEngine.new({ datamodels: [["schema.prisma", schemaText]] }, () => {}, factory);
}

/** SQL that turns the database described by `from` (or an empty one) into the one described by `to`. */
export async function diffSchemas(from: string | null, to: string, databaseUrl: string): Promise<string> {
  const engine = await createSchemaEngine(to, databaseUrl);
  const filters = { externalTables: [], externalEnums: [] };
  const result = await engine.diff({
    from: from === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: from }] },
    to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: to }] },
    script: true,
    exitCode: null,
    filters,
  });
  return (result as { stdout: string }).stdout;
}
