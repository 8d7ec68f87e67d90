/**
 * The shapes Zalo's OA, OAuth and template APIs answer with, as zod schemas. Ids and timestamps are
 * kept as strings whatever JSON type they arrive in; fields we do not use are allowed and ignored.
 */
import { z } from "zod";

/** An id or a millisecond timestamp: a string of digits, never a rounded double. */
export const ZaloIdSchema = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

/** Zalo writes numbers as strings in places ("expires_in": "90000", quota "remain": "8"). */
const NumberLike = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform((v) => Number(v));

/** Every OA and template API answer: application errors arrive with HTTP 200 and `error ≠ 0`. */
export const ZaloEnvelopeSchema = z.object({
  error: NumberLike,
  message: z.string().optional(),
  data: z.unknown().optional(),
});

/** `data` of a consultation or file message. */
export const ZaloSentMessageSchema = z.object({
  message_id: ZaloIdSchema,
  user_id: ZaloIdSchema.optional(),
  sent_time: ZaloIdSchema.optional(),
  quota: z.object({ quota_type: z.string().optional(), remain: NumberLike.optional(), total: NumberLike.optional() }).optional(),
});

/** `data` of a file upload: the token a file message refers to (valid seven days). */
export const ZaloUploadedFileSchema = z.object({ token: z.string().min(1) });

/** `data` of user detail. */
export const ZaloUserDetailSchema = z.object({
  user_id: ZaloIdSchema,
  user_id_by_app: ZaloIdSchema.optional(),
  display_name: z.string().optional(),
  user_alias: z.string().optional(),
  user_is_follower: z.boolean().optional(),
  /** "DD/MM/YYYY". */
  user_last_interaction_date: z.string().optional(),
  avatar: z.string().optional(),
  shared_info: z.object({ name: z.string().optional(), phone: ZaloIdSchema.optional() }).partial().nullish(),
});

/** `data` of a template message: by phone it is `msg_id`, by user id `message_id`. */
export const ZaloTemplateSentSchema = z
  .object({ msg_id: ZaloIdSchema.optional(), message_id: ZaloIdSchema.optional(), sent_time: ZaloIdSchema.optional() })
  .refine((d) => d.msg_id !== undefined || d.message_id !== undefined, "no message id");

/** OAuth v4's answer to a refresh: the new pair, `expires_in` in seconds (often a string). */
export const ZaloTokenPairSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: NumberLike.pipe(z.number().int().positive()),
});

/** OAuth v4's refusal: `error` is a negative code, with `error_name`/`error_description` for people. */
export const ZaloOAuthErrorSchema = z.object({
  error: NumberLike,
  error_name: z.string().optional(),
  error_reason: z.string().optional(),
  error_description: z.string().optional(),
});
