/** Payload validation for routers: anything that does not match the schema is `invalid_payload`. */
import type { z } from 'zod';
import { AppError } from '../../shared/errors';

/** The parsed value, or AppError('invalid_payload') without zod's details (they may echo input). */
export function parsePayload<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('invalid_payload');
  return result.data;
}
