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
  const stats = new StatsService(ctx);
  const announcer = new Announcer(ctx, stats);
  const dispatcher = new Dispatcher(ctx, announcer);
  const visitors = new VisitorService(ctx, announcer, dispatcher, stats, isOpen);
  const listeners = new ListenerService(ctx, announcer, dispatcher);
  const lifecycle = new Lifecycle(ctx, announcer, dispatcher, visitors);
  return { ctx, announcer, dispatcher, stats, visitors, listeners, lifecycle };
}
