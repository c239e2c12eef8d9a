/**
 * Queue order shared by both stores: urgent first, then by `queuedAt`. A conversation that goes
 * back to the queue (transfer, lost listener) takes `startedAt - REQUEUE_ADVANCE_MS` as its
 * `queuedAt`, which puts it ahead of everyone of its priority who has not been answered yet,
 * while several requeued conversations keep their original order among themselves.
 */
export const REQUEUE_ADVANCE_MS = 1e12;

/** The queue key of a conversation that went back to the queue. */
export const requeuedAt = (startedAt: number): number => startedAt - REQUEUE_ADVANCE_MS;
