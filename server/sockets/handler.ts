/**
 * The one way socket events are handled: validate the payload with its zod schema, run the
 * domain call, answer `{ ok: true, ...result }` or `{ ok: false, error }`. Nothing thrown escapes:
 * expected failures carry their code, anything else is logged (without payload) and answered
 * `internal`.
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError, ERROR_MESSAGES, toWireError } from '../../shared/errors';
import { normaliseText } from '../../shared/schemas';
import { errorSummary } from '../logger';

export { errorSummary };

type Ack = (reply: object) => void;

/** Pending handler work, so shutdown can wait for it before closing the store. */
export class Inflight {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

export interface HandlerDeps {
  logger: Logger;
  inflight: Inflight;
}

/** Registers `event` on the socket: payload checked by `schema`, then `run`. */
export function on<S extends z.ZodType>(
  socket: Socket,
  deps: HandlerDeps,
  event: string,
  schema: S,
  run: (payload: z.infer<S>) => Promise<object | void>,
): void {
  socket.on(event, (first: unknown, second: unknown) => {
    // `emit(event, callback)` with no payload puts the callback first.
    const [payload, ack] = typeof first === 'function' && second === undefined ? [undefined, first] : [first, second];
    const reply: Ack | null = typeof ack === 'function' ? (ack as Ack) : null;
    const parsed = schema.safeParse(payload === undefined ? {} : payload);
    if (!parsed.success) {
      reply?.({ ok: false, error: { code: 'invalid_payload', message: ERROR_MESSAGES.invalid_payload } });
      return;
    }
    const work = deps.inflight.track(run(parsed.data));
    work.then(
      (result) => reply?.({ ok: true, ...(result ?? {}) }),
      (err: unknown) => {
        if (!(err instanceof AppError)) deps.logger.error({ err: errorSummary(err), event }, 'handler failed');
        reply?.({ ok: false, error: toWireError(err) });
      },
    );
  });
}

/** The checked, trimmed text of a message; throws `invalid_payload` or `too_long`. */
export function messageText(raw: string, maxLength: number): string {
  const text = normaliseText(raw, maxLength);
  if (text === null) throw new AppError('invalid_payload');
  if (text === 'too_long') throw new AppError('too_long');
  return text;
}

