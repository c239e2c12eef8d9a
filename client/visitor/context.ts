/** What every visitor view needs: the translator and the service status, plus label helpers. */
import type { ServiceStatus } from '../../shared/protocol';
import type { Translator } from '../ui/i18n/index';
import type { VisitorKey } from '../ui/i18n/keys';

/** From this estimate on, we say "a long time" rather than promise a number of minutes. */
export const LONG_WAIT_SECONDS = 45 * 60;

export interface VisitorContext {
  i18n: Translator<VisitorKey>;
  status: ServiceStatus;
}

export function errorText(ctx: VisitorContext, code: string): string {
  return ctx.i18n.maybe(`err.${code}`) ?? ctx.i18n.t('err.internal');
}

export function topicLabel(ctx: VisitorContext, topic: string): string {
  return ctx.i18n.maybe(`topic.${topic}`) ?? topic;
}

export function languageLabel(ctx: VisitorContext, lang: string): string {
  return ctx.i18n.maybe(`lang.${lang}`) ?? lang.toUpperCase();
}
