/** Turns zod issues into {@link FieldIssue}s whose messages can be translated. */
import type { z } from "zod";
import { AppError, type FieldIssue } from "./errors.ts";

/** Maps one zod issue to a translatable field issue. */
export function toFieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  const path = issue.path.map(String).join(".") || "(body)";
  switch (issue.code) {
    case "invalid_type":
      if ((issue as { input?: unknown }).input === undefined) return { path, messageKey: "errors.field.required" };
      return { path, messageKey: "errors.field.invalid_type", params: { expected: issue.expected } };
    case "too_small":
      return { path, messageKey: "errors.field.too_small", params: { minimum: String(issue.minimum) } };
    case "too_big":
      return { path, messageKey: "errors.field.too_big", params: { maximum: String(issue.maximum) } };
    case "invalid_value":
      return { path, messageKey: "errors.field.invalid_value", params: { values: issue.values.map(String).join(", ") } };
    case "invalid_format":
      return { path, messageKey: "errors.field.invalid_format" };
    case "unrecognized_keys":
      return { path, messageKey: "errors.field.unrecognized_keys", params: { keys: issue.keys.join(", ") } };
    case "custom": {
      // A custom check may pass values for its message ({chars}, {max}) beside its key.
      const { messageKey, ...params } = (issue.params ?? {}) as { messageKey?: string } & Record<string, unknown>;
      return { path, messageKey: messageKey ?? "errors.field.invalid", message: issue.message, ...(Object.keys(params).length ? { params } : {}) };
    }
    default:
      return { path, messageKey: "errors.field.invalid", message: issue.message };
  }
}

/**
 * Parses `input` with `schema`.
 * @throws AppError VALIDATION (422) naming every field that is missing or wrong.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError("VALIDATION", "validation failed", {
    messageKey: "errors.validation",
    issues: result.error.issues.map(toFieldIssue),
  });
}
