/**
 * The one way socket events are handled: validate the payload with its zod schema, run the
 * domain call, answer `{ ok: true, ...result }` (or the handler's own acknowledgement) or
 * `{ ok: false, error }`. Nothing thrown escapes:
 * expected failures carry their code, anything else is logged (without payload) and answered
 * `internal`.
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError, ERROR_MESSAGES, toWireError } from '../../shared/errors';
import type { Message } from '../../shared/protocol';
import { normaliseText } from '../../shared/schemas';
import { errorSummary } from '../logger';

export { errorSummary };

type Ack = (reply: object) => void;

/**
 * Pending handler work, so shutdown can wait for it before closing the store. A count, not a set
 * of promises: the message path adds no promise and no set entry per event.
 */
export class Inflight {
  private count = 0;
  private waiters: Array<() => void> = [];
  private readonly settled = () => this.end();

  /** Counts `p` until it settles. */
  track<T>(p: Promise<T>): Promise<T> {
    this.begin();
    p.then(this.settled, this.settled);
    return p;
  }

  begin(): void {
    this.count += 1;
  }

  end(): void {
    this.count -= 1;
    if (this.count > 0 || this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once nothing is pending, including work that starts while it waits. */
  async drain(): Promise<void> {
    while (this.count > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

export interface HandlerDeps {
  logger: Logger;
  inflight: Inflight;
}

/** The usual acknowledgement: `{ ok: true }` with the result's fields. */
const okWith = (result: object | void): object => ({ ok: true, ...(result ?? {}) });

/** The acknowledgement of a stored message. */
const sentAck = (message: Message): object => ({ ok: true, seq: message.seq, at: message.at });

/**
 * A socket event's listener, made once per namespace and shared by all its sockets: the socket is
 * `this` (Socket.IO calls listeners on the socket, as EventEmitter does). Closures made per socket
 * and event held about 1.5 KiB of heap for every connected visitor; shared listeners saved 1.3 KiB
 * of it (docs/benchmarks.md, tenth session).
 */
export type SocketListener = (this: Socket, first: unknown, second: unknown) => void;

/** The listeners of a namespace's events, registered on each socket as it connects. */
export type Handlers = ReadonlyArray<readonly [event: string, listener: SocketListener]>;

/** Registers every handler on the socket. */
export function listen(socket: Socket, handlers: Handlers): void {
  for (const [event, listener] of handlers) socket.on(event, listener);
}

/**
 * The listener of `event`: payload checked by `schema`, then `run` on the socket, which may also
 * throw at once; its result is acknowledged by `ack` (by default `{ ok: true, ...result }`).
 */
export function handle<S extends z.ZodType, R extends object | void = object | void>(
  deps: HandlerDeps,
  event: string,
  schema: S,
  run: (socket: Socket, payload: z.infer<S>) => Promise<R>,
  ack: (result: R) => object = okWith,
): readonly [string, SocketListener] {
  return [
    event,
    function (this: Socket, first: unknown, second: unknown): void {
      // `emit(event, callback)` with no payload puts the callback first.
      const noPayload = typeof first === 'function' && second === undefined;
      const callback = noPayload ? first : second;
      const reply: Ack | null = typeof callback === 'function' ? (callback as Ack) : null;
      const parsed = schema.safeParse(noPayload || first === undefined ? {} : first);
      if (!parsed.success) {
        reply?.({ ok: false, error: { code: 'invalid_payload', message: ERROR_MESSAGES.invalid_payload } });
        return;
      }
      let work: Promise<R>;
      try {
        work = run(this, parsed.data);
      } catch (err) {
        work = Promise.reject(err);
      }
      deps.inflight.begin();
      work.then(
        (result) => {
          deps.inflight.end();
          reply?.(ack(result));
        },
        (err: unknown) => {
          deps.inflight.end();
          if (!(err instanceof AppError)) deps.logger.error({ err: errorSummary(err), event }, 'handler failed');
          reply?.({ ok: false, error: toWireError(err) });
        },
      );
    },
  ];
}

/**
 * The listener of `message:send` (both namespaces): the text is checked and trimmed, then `send`
 * counts and stores it; the acknowledgement is the stored message's seq and time. `send` returns
 * the store's promise as it is, with no await of its own: this runs for every message.
 */
export function handleMessageSend<S extends z.ZodType<{ text: string }>>(
  deps: HandlerDeps,
  schema: S,
  maxLength: number,
  send: (socket: Socket, payload: z.infer<S>, text: string) => Promise<Message>,
): readonly [string, SocketListener] {
  return handle(deps, 'message:send', schema, (socket, p) => send(socket, p, messageText(p.text, maxLength)), sentAck);
}

/** The checked, trimmed text of a message; throws `invalid_payload` or `too_long`. */
export function messageText(raw: string, maxLength: number): string {
  const text = normaliseText(raw, maxLength);
  if (text === null) throw new AppError('invalid_payload');
  if (text === 'too_long') throw new AppError('too_long');
  return text;
}

