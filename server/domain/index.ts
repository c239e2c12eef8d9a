/** Wires the domain services together around one context. */
import { Announcer } from './announce';
import type { DomainContext } from './context';
import { Dispatcher } from './dispatcher';
import { Lifecycle } from './lifecycle';
import { ListenerService } from './listeners';
import { StatsService } from './stats';
import { VisitorService } from './visitors';

export interface Domain {
  ctx: DomainContext;
  announcer: Announcer;
  dispatcher: Dispatcher;
  stats: StatsService;
  visitors: VisitorService;
  listeners: ListenerService;
  lifecycle: Lifecycle;
}

export function createDomain(ctx: DomainContext, isOpen: (now: number) => boolean): Domain {
  const announcer = new Announcer(ctx);
  const dispatcher = new Dispatcher(ctx, announcer);
  const stats = new StatsService(ctx);
  const visitors = new VisitorService(ctx, announcer, dispatcher, stats, isOpen);
  const listeners = new ListenerService(ctx, announcer, dispatcher, stats);
  const lifecycle = new Lifecycle(ctx, announcer, dispatcher, visitors, stats);
  return { ctx, announcer, dispatcher, stats, visitors, listeners, lifecycle };
}
