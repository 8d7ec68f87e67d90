/**
 * The shape of the Telegram updates chidao handles, as far as its handlers rely on it. The webhook
 * parses every update with it before grammY sees it: a field of the wrong type (a chat id that is a
 * string, text that is a number) would otherwise fail deep in a handler, or reach the database.
 * Unknown fields are kept (Telegram adds fields over time); unknown update kinds are refused,
 * because chidao subscribes only to these three (allowed_updates).
 */
import { z } from "zod";

const Id = z.number().int().refine(Number.isSafeInteger);

const UserSchema = z.looseObject({
  id: Id,
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const ChatSchema = z.looseObject({ id: Id, type: z.string() });

const EntitySchema = z.looseObject({ type: z.string(), offset: z.number().int().min(0), length: z.number().int().min(0) });

const MessageSchema = z.looseObject({
  message_id: Id,
  date: z.number().int(),
  chat: ChatSchema,
  from: UserSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(EntitySchema).optional(),
  document: z.looseObject({ file_name: z.string().optional() }).optional(),
  photo: z.array(z.looseObject({})).optional(),
  reply_markup: z.looseObject({ inline_keyboard: z.array(z.array(z.looseObject({ text: z.string(), callback_data: z.string().optional() }))).optional() }).optional(),
});

const CallbackQuerySchema = z.looseObject({
  id: z.string(),
  from: UserSchema,
  chat_instance: z.string().optional(),
  data: z.string().optional(),
  // An inaccessible message (date 0) carries only chat, message_id and date.
  message: z.looseObject({ message_id: Id, date: z.number().int(), chat: ChatSchema, text: z.string().optional(), entities: z.array(EntitySchema).optional() }).optional(),
});

const MemberSchema = z.looseObject({ status: z.string(), user: UserSchema });

const ChatMemberUpdatedSchema = z.looseObject({ chat: ChatSchema, from: UserSchema, date: z.number().int(), old_chat_member: MemberSchema, new_chat_member: MemberSchema });

/** An update chidao handles: its id and exactly one of message, callback_query, my_chat_member. */
export const TelegramUpdateSchema = z
  .strictObject({
    update_id: Id.refine((n) => n >= 0),
    message: MessageSchema.optional(),
    callback_query: CallbackQuerySchema.optional(),
    my_chat_member: ChatMemberUpdatedSchema.optional(),
  })
  .refine((u) => [u.message, u.callback_query, u.my_chat_member].filter(Boolean).length === 1, { message: "exactly one of message, callback_query, my_chat_member" });
