import { Router } from "express";
import { z } from "zod";
import { listTemplates } from "../../../templates/index.ts";
import { listCertificateTemplates } from "../../../templates/certificates/index.ts";

export type TemplateJson = {
  name: string;
  kind: "letter" | "certificate";
  label: string;
  type_name: string;
  abbreviation: string | null;
  schema: unknown;
  headings?: Record<string, string[]>;
};

type JsonSchema = { [key: string]: unknown };
const STRING_LIMITS = ["minLength", "maxLength", "pattern"] as const;

/**
 * Copies string limits from the output schema into the input schema. Document text is normalised
 * (NFC, trim) by a transform before its length is checked, so zod's input view of such a field is a
 * bare string; the limits a form should enforce live in the output view.
 */
function withStringLimits(input: unknown, output: unknown): void {
  if (!input || !output || typeof input !== "object" || typeof output !== "object") return;
  const i = input as JsonSchema;
  const o = output as JsonSchema;
  if (i.type === "string" && o.type === "string") for (const k of STRING_LIMITS) if (i[k] === undefined && o[k] !== undefined) i[k] = o[k];
  for (const key of ["properties", "items"] as const) {
    const a = i[key];
    const b = o[key];
    if (key === "items") withStringLimits(a, b);
    else if (a && b && typeof a === "object" && typeof b === "object") for (const name of Object.keys(a)) withStringLimits((a as JsonSchema)[name], (b as JsonSchema)[name]);
  }
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const a = i[key];
    const b = o[key];
    if (Array.isArray(a) && Array.isArray(b)) a.forEach((x, n) => withStringLimits(x, b[n]));
  }
}

/**
 * The templates with their fields as JSON Schema, for building forms. The schemas describe what a
 * client sends (`io: "input"`: fields with defaults are optional), with the length limits checked
 * after normalisation.
 */
export function templatesJson(): TemplateJson[] {
  const schemaOf = (s: z.ZodType) => {
    const schema = z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
    withStringLimits(schema, z.toJSONSchema(s, { io: "output", unrepresentable: "any" }));
    return schema;
  };
  return [
    ...listTemplates().map((t) => ({ name: t.name, kind: "letter" as const, label: t.label, type_name: t.typeName, abbreviation: t.abbreviation, schema: schemaOf(t.schema) })),
    // Certificates: the same fields are a spreadsheet's columns in a batch, under these headings too.
    ...listCertificateTemplates().map((t) => ({
      name: t.name,
      kind: "certificate" as const,
      label: t.label,
      type_name: t.typeName,
      abbreviation: t.abbreviation,
      schema: schemaOf(t.schema),
      headings: t.aliases,
    })),
  ];
}

/** `GET /templates`: every document template and its fields. */
export function templatesRoutes(): Router {
  const router = Router();
  let cached: TemplateJson[] | null = null;
  router.get("/templates", (_req, res) => {
    cached ??= templatesJson();
    res.json(cached);
  });
  return router;
}
