/** Listener presence on Redis: a hash per listener plus the set of listener ids. */
import type { ListenerStatus } from '../../../shared/protocol';
import type { ListenerConnectInput, PresenceProfile, PresenceRecord } from '../types';
import { hashFromFlat, toPresence } from './codec';
import type { RedisContext } from './context';
import { keyParts } from './keys';

export class RedisPresence {
  constructor(private readonly ctx: RedisContext) {}

  /** Counts a new socket of a listener on its node and refreshes their profile (new presences start available). */
  async connected(input: ListenerConnectInput): Promise<PresenceRecord> {
    const { keys } = this.ctx;
    const reply = await this.ctx.scripts.run(
      'listenerConnected',
      [keys.presence(input.userId), keys.presenceIds, keys.listenerConversations(input.userId), keys.nodeListeners(input.nodeId)],
      [input.userId, input.displayName, JSON.stringify(input.languages), input.maxConcurrent, input.now],
    );
    const presence = toPresence(hashFromFlat(reply));
    if (!presence) throw new Error('Unexpected listenerConnected reply');
    return presence;
  }

  /** Counts a closed socket, if its node still counts one; never below zero. */
  async disconnected(userId: string, nodeId: string): Promise<PresenceRecord | null> {
    const { keys } = this.ctx;
    const reply = await this.ctx.scripts.run('listenerDisconnected', [keys.presence(userId), keys.nodeListeners(nodeId)], [userId]);
    return toPresence(hashFromFlat(reply));
  }

  /** Refreshes the routing profile of a listener who has a presence. */
  async updateProfile(userId: string, profile: PresenceProfile): Promise<PresenceRecord | null> {
    const reply = await this.ctx.scripts.run(
      'updatePresenceProfile',
      [this.ctx.keys.presence(userId)],
      [profile.displayName, JSON.stringify(profile.languages), profile.maxConcurrent],
    );
    return toPresence(hashFromFlat(reply));
  }

  /** Sets the status of a listener who has a presence. */
  async setStatus(userId: string, status: ListenerStatus): Promise<PresenceRecord | null> {
    const reply = await this.ctx.scripts.run('setListenerStatus', [this.ctx.keys.presence(userId)], [status]);
    return toPresence(hashFromFlat(reply));
  }

  /** One listener's presence, or null. */
  async get(userId: string): Promise<PresenceRecord | null> {
    return toPresence(await this.ctx.client.hgetall(this.ctx.keys.presence(userId)));
  }

  /** Every listener with a presence, in id order. */
  async list(): Promise<PresenceRecord[]> {
    const { keys } = this.ctx;
    const reply = await this.ctx.scripts.run('listPresence', [keys.presenceIds], keyParts(keys.presence));
    const hashes = Array.isArray(reply) ? reply : [];
    return hashes
      .flatMap((flat) => toPresence(hashFromFlat(flat)) ?? [])
      .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  }

  /** Forgets a listener with no connections and no conversations. */
  async remove(userId: string): Promise<void> {
    const { keys } = this.ctx;
    await this.ctx.scripts.run(
      'removePresence',
      [keys.presence(userId), keys.presenceIds, keys.listenerConversations(userId)],
      [userId],
    );
  }
}
