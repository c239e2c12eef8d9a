/**
 * Steps that follow a change the store has already made (reading history for an announcement,
 * a position, a name). Their failure must not turn a done change into an error reply, so it is
 * logged and a fallback is used: clients recover missing details with `sync` and later updates.
 */
import { errorSummary } from '../logger';
import type { DomainContext } from './context';

export async function afterCommit<T>(ctx: Pick<DomainContext, 'logger'>, step: string, work: Promise<T>, fallback: T): Promise<T> {
  try {
    return await work;
  } catch (err) {
    ctx.logger.warn({ err: errorSummary(err), step }, 'step after a committed change failed');
    return fallback;
  }
}
