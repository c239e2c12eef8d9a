/**
 * Whether this node is the only one on its Redis. While it is alone every socket is here, so room
 * broadcasts stay local: the Redis adapter would otherwise publish each one and then read and
 * decode its own echo, three socket operations a relayed message on top of the store's script
 * (docs/benchmarks.md).
 *
 * Joining: a starting node, once its own subscription is in place, asks every running node with a
 * server-side emit before it accepts a socket, and a node stops being alone before it answers; a
 * node whose subscriber reconnected joins again the same way. Leaving: every CHECK_EVERY_MS a node
 * counts the nodes subscribed to the adapter's channel (`PUBSUB NUMSUB`) and is alone again when
 * it is subscribed itself, the count is one, and nobody joined meanwhile. Whenever in doubt (a
 * lost subscriber connection, a failed count) a node is not alone: broadcasting to no one costs a
 * publish, nothing more.
 */
import type { Namespace } from 'socket.io';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import { errorSummary } from '../logger';

const JOIN_EVENT = 'node:join';
export const CHECK_EVERY_MS = 2_000;

export class Peers {
  private alone = false;
  private joins = 0;
  private stopped = false;
  private subscriberLost = false;
  private timer: NodeJS.Timeout | null = null;

  /** `nsp` is any namespace with the Redis adapter; `subscriber` is the adapter's subscriber connection. */
  constructor(
    private readonly nsp: Namespace,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {
    nsp.on(JOIN_EVENT, (ack?: (answer: string) => void) => {
      this.notAlone();
      ack?.('ok');
    });
    // While the subscriber is away this node misses joins, and the others may count it gone and
    // be alone: once it is back, it joins again.
    subscriber.on('close', () => {
      this.subscriberLost = true;
      this.notAlone();
    });
    subscriber.on('ready', () => {
      if (!this.subscriberLost || this.stopped) return;
      this.subscriberLost = false;
      void this.join();
    });
  }

  /** True while no other node shares this node's Redis. */
  get isAlone(): boolean {
    return this.alone;
  }

  /** Tells the running nodes that this one is here; resolves when they know (or stopped answering). */
  async join(): Promise<void> {
    try {
      // Answered after the adapter's SUBSCRIBE on the same connection: this node is counted now.
      await this.subscriber.ping();
      await this.nsp.serverSideEmitWithAck(JOIN_EVENT);
    } catch (err) {
      // A node that did not answer in time is not alone either, as far as it can tell: it counts
      // this node among the subscribers at its next check.
      this.logger.warn({ err: errorSummary(err) }, 'not every node answered a join');
    }
    await this.check();
  }

  /** Counts the nodes; alone only if this is the one and no node joined while counting. */
  async check(): Promise<void> {
    const joinsBefore = this.joins;
    try {
      const count = await this.nsp.adapter.serverCount();
      const subscribed = this.subscriber.status === 'ready' && !this.subscriberLost;
      if (this.joins === joinsBefore && !this.stopped) this.alone = subscribed && count === 1;
    } catch (err) {
      this.alone = false;
      this.logger.warn({ err: errorSummary(err) }, 'could not count the nodes');
    }
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.alone = false;
  }

  private notAlone(): void {
    this.joins += 1;
    this.alone = false;
  }
}
