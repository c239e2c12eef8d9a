/**
 * Messages appended during one turn of the event loop go to Redis in one `appendMessages` script
 * call at the end of the turn (group commit), in the order they were sent, or earlier, as soon as
 * another command goes to the same connection, so Redis runs everything in the order issued. On
 * a busy node this replaces one command, one script run and one reply per message with one per
 * turn; on a quiet node a batch is one message and leaves when it would have anyway (the
 * connection's writes wait for the end of the turn too, see coalesce-writes.ts). Each message
 * gets its own answer or error.
 */
import { AppError, isErrorCode } from '../../../shared/errors';
import type { Message } from '../../../shared/protocol';
import type { AppendInput, AppendResult } from '../types';
import { iso, type RedisContext } from './context';
import { atTurnEnd } from './turn-end';

/** A batch's keys and arguments stay well inside what one script call should carry. */
export const MAX_BATCH = 200;

interface Pending {
  input: AppendInput;
  at: string;
  resolve: (result: AppendResult) => void;
  reject: (err: unknown) => void;
}

export class AppendBatcher {
  private pending: Pending[] = [];
  private readonly flushTurn = () => this.flush();

  constructor(private readonly ctx: RedisContext) {
    // Commands keep the order they were issued in: every other command on this connection first
    // sends the appends issued before it (a message sent just before the chat's end is stored
    // before the end, as when every append was its own command).
    const { client } = ctx;
    const send = client.sendCommand.bind(client);
    client.sendCommand = (command, stream) => {
      if (this.pending.length > 0) this.flush();
      return send(command, stream);
    };
  }

  append(input: AppendInput): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) atTurnEnd('flush', this.flushTurn);
      this.pending.push({ input, at: iso(input.now), resolve, reject });
      // While the connection is down, commands wait in ioredis's offline queue and are replayed in
      // order when it is back: an append joins that queue at once, so none overtakes an older one.
      if (this.ctx.client.status !== 'ready') this.flush();
    });
  }

  private flush(): void {
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) this.send(all.slice(i, i + MAX_BATCH));
  }

  private send(batch: Pending[]): void {
    const { keys } = this.ctx;
    const keyList: string[] = [];
    const args: string[] = [];
    for (const { input, at } of batch) {
      keyList.push(keys.conversation(input.conversationId), keys.messages(input.conversationId), keys.dedup(input.conversationId));
      args.push(input.from, input.senderId, input.text, input.clientMsgId, at);
    }
    this.ctx.scripts.run('appendMessages', keyList, args).then(
      (reply) => {
        if (!Array.isArray(reply) || reply.length !== batch.length) {
          const err = new Error('Unexpected appendMessages reply');
          for (const p of batch) p.reject(err);
          return;
        }
        for (const [i, p] of batch.entries()) settle(p, reply[i]);
      },
      (err: unknown) => {
        for (const p of batch) p.reject(err);
      },
    );
  }
}

/** One message's answer from the script: stored, a repeat of a stored one, or refused. */
function settle(p: Pending, reply: unknown): void {
  if (!Array.isArray(reply) || reply.length < 1) return p.reject(new Error('Unexpected appendMessages reply'));
  const status = Number(reply[0]);
  // Logged by the caller as an unexpected failure; the script's own error may name keys, so it stays in Redis.
  if (status === -2) return p.reject(new Error('appendMessages: a command failed while storing one message'));
  if (status === -1) {
    const code = String(reply[1]);
    return p.reject(isErrorCode(code) ? new AppError(code) : new Error(`Unexpected appendMessages refusal ${code}`));
  }
  const { input } = p;
  const duplicate = status === 1;
  const message: Message = {
    conversationId: input.conversationId,
    seq: Number(reply[1]),
    from: input.from,
    text: duplicate ? String(reply[4]) : input.text,
    at: duplicate ? String(reply[5]) : p.at,
    clientMsgId: input.clientMsgId,
  };
  const result: AppendResult = { message, duplicate, visitorId: String(reply[2]) };
  const listenerId = String(reply[3] ?? '');
  if (listenerId) result.listenerId = listenerId;
  p.resolve(result);
}
