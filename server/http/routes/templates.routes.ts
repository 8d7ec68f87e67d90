import { Router } from "express";
import { z } from "zod";
import { listTemplates } from "../../documents/index.ts";

type TemplateJson = { name: string; label: string; type_name: string; abbreviation: string | null; schema: unknown };

/**
 * The templates with their fields as JSON Schema, for building forms. The schemas describe what a
 * client sends (`io: "input"`): normalisation such as trimming and NFC happens after validation.
 */
function templatesJson(): TemplateJson[] {
  return listTemplates().map((t) => ({
    name: t.name,
    label: t.label,
    type_name: t.typeName,
    abbreviation: t.abbreviation,
    schema: z.toJSONSchema(t.schema, { io: "input", unrepresentable: "any" }),
  }));
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
