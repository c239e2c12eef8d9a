/**
 * zod schemas for every client payload and HTTP body. Built by a factory because languages,
 * topics and the message length are configurable. Objects are strict: unknown keys are refused.
 */
import { z } from 'zod';
import { AGE_RANGES, FLAG_LEVELS, LISTENER_STATUSES, RISK_LEVELS, ROLES } from './protocol';

export interface SchemaOptions {
  languages: readonly string[];
  topics: readonly string[];
  maxMessageLength: number;
}

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const clientMsgId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const username = z.string().trim().min(3).max(64).regex(/^[A-Za-z0-9._-]+$/);
const password = z.string().min(10).max(256);
const displayName = z.string().trim().min(1).max(60);
const afterSeq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export function makeSchemas(opts: SchemaOptions) {
  const language = z.enum(opts.languages as [string, ...string[]]);
  const topic = z.enum(opts.topics as [string, ...string[]]);
  // No length cap here: every string that fits in a packet (the server sizes maxHttpBufferSize) is
  // judged by `normaliseText`, so a long one is `too_long`, not `invalid_payload`.
  const rawText = z.string();
  const languages = z.array(language).min(1).max(opts.languages.length);
  const maxConcurrent = z.number().int().min(1).max(10);

  return {
    visitor: {
      chatStart: z.strictObject({
        language,
        topic: topic.optional(),
        ageRange: z.enum(AGE_RANGES).optional(),
        urgent: z.boolean().optional(),
        firstMessage: rawText.optional(),
      }),
      messageSend: z.strictObject({ clientMsgId, text: rawText }),
      typing: z.strictObject({ isTyping: z.boolean() }),
      sync: z.strictObject({ conversationId: id, afterSeq }),
      chatEnd: z.strictObject({ reason: z.literal('quick_exit').optional() }),
      feedback: z.strictObject({
        conversationId: id,
        rating: z.number().int().min(1).max(5),
        comment: z.string().trim().max(1000).optional(),
      }),
    },
    listener: {
      statusSet: z.strictObject({ status: z.enum(LISTENER_STATUSES) }),
      chatAccept: z.strictObject({ conversationId: id.optional() }),
      messageSend: z.strictObject({ conversationId: id, clientMsgId, text: rawText }),
      typing: z.strictObject({ conversationId: id, isTyping: z.boolean() }),
      sync: z.strictObject({ conversationId: id, afterSeq }),
      chatEnd: z.strictObject({
        conversationId: id,
        outcome: z
          .strictObject({
            topics: z.array(topic).max(opts.topics.length),
            risk: z.enum(RISK_LEVELS),
            note: z.string().trim().max(2000).optional(),
          })
          .optional(),
      }),
      chatTransfer: z.strictObject({
        conversationId: id,
        to: z.union([z.literal('queue'), z.strictObject({ listenerId: id })]),
      }),
      chatFlag: z.strictObject({ conversationId: id, level: z.enum(FLAG_LEVELS) }),
      visitorBlock: z.strictObject({ conversationId: id, reason: z.string().trim().min(1).max(500) }),
      cannedList: z.strictObject({ language: language.optional() }),
    },
    http: {
      setup: z.strictObject({ setupToken: z.string().min(1).max(256), username, password, displayName }),
      login: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
      createUser: z.strictObject({
        username,
        displayName,
        password,
        role: z.enum(ROLES),
        languages,
        maxConcurrent,
      }),
      updateUser: z.strictObject({
        displayName: displayName.optional(),
        password: password.optional(),
        role: z.enum(ROLES).optional(),
        languages: languages.optional(),
        maxConcurrent: maxConcurrent.optional(),
        active: z.boolean().optional(),
      }),
      cannedSet: z.strictObject({
        responses: z
          .array(z.strictObject({ id, title: z.string().trim().min(1).max(80), text: z.string().trim().min(1).max(opts.maxMessageLength) }))
          .max(200),
      }),
    },
  };
}

export type Schemas = ReturnType<typeof makeSchemas>;

/**
 * Trims message text and checks its length in characters (code points, so an emoji counts once):
 * `null` when empty, `'too_long'` past the limit.
 */
export function normaliseText(raw: string, maxLength: number): string | null | 'too_long' {
  const text = raw.trim();
  if (text.length === 0) return null;
  // UTF-16 length is an upper bound of the code point count: count only when it matters.
  if (text.length > maxLength && [...text].length > maxLength) return 'too_long';
  return text;
}
