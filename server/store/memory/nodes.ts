/**
 * Server nodes. The in-process store serves one node, so a dead node is rare here (a stalled
 * event loop), but the bookkeeping is the same as on Redis and passes the same contract.
 */
import type { ReapedNode, ReapInput, Store } from '../types';
import { timerKeys } from '../timer-keys';
import { addToCount, type MemoryState } from './state';
import { cancelTimer, scheduleTimer } from './timers';

type NodeMethods = Pick<Store, 'nodeHeartbeat' | 'deadNodes' | 'reapNode' | 'visitorConnected' | 'visitorDisconnected'>;

/** The server-node half of the Store. */
export function nodeMethods(state: MemoryState): NodeMethods {
  const isDead = (nodeId: string) => (state.nodes.get(nodeId) ?? Infinity) <= state.clock();
  return {
    async nodeHeartbeat(nodeId, ttlMs) {
      const known = state.nodes.has(nodeId);
      state.nodes.set(nodeId, state.clock() + Math.max(1, Math.round(ttlMs)));
      return known;
    },
    async deadNodes() {
      return [...state.nodes.keys()].filter(isDead).sort();
    },
    async reapNode(input) {
      if (!input.force && !isDead(input.nodeId)) return null;
      return reap(state, input);
    },
    async visitorConnected(visitorId, nodeId) {
      addToCount(state.nodeVisitors, nodeId, visitorId, 1);
      cancelTimer(state, timerKeys.visitorGrace(visitorId));
    },
    async visitorDisconnected(visitorId, nodeId, graceDueAt) {
      if ((state.nodeVisitors.get(nodeId)?.get(visitorId) ?? 0) > 0) addToCount(state.nodeVisitors, nodeId, visitorId, -1);
      startVisitorGrace(state, visitorId, graceDueAt);
    },
  };
}

/** A visitor who never started a chat has nothing to keep (as on Redis): no grace timer. */
function startVisitorGrace(state: MemoryState, visitorId: string, dueAt: number): void {
  if (state.visitors.get(visitorId)?.conversationId) scheduleTimer(state, timerKeys.visitorGrace(visitorId), dueAt);
}

/** Takes back what the node's sockets counted and starts the grace timers their disconnects would have. */
function reap(state: MemoryState, input: ReapInput): ReapedNode {
  const visitorIds = [...(state.nodeVisitors.get(input.nodeId)?.keys() ?? [])];
  for (const visitorId of visitorIds) startVisitorGrace(state, visitorId, input.visitorGraceDueAt);
  const listenerIds: string[] = [];
  for (const [userId, held] of state.nodeListeners.get(input.nodeId) ?? []) {
    const presence = state.presence.get(userId);
    if (!presence) continue;
    presence.connections = Math.max(0, presence.connections - held);
    if (presence.connections > 0) continue;
    scheduleTimer(state, timerKeys.listenerGrace(userId), input.listenerGraceDueAt);
    listenerIds.push(userId);
  }
  state.nodes.delete(input.nodeId);
  state.nodeVisitors.delete(input.nodeId);
  state.nodeListeners.delete(input.nodeId);
  return { nodeId: input.nodeId, visitorIds: visitorIds.sort(), listenerIds: listenerIds.sort() };
}
