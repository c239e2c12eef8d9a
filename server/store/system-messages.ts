/** English fallback texts of system messages; clients translate by `code`. Shared by both stores. */
import type { SystemCode } from '../../shared/protocol';

export const SYSTEM_TEXT: Record<SystemCode, string> = {
  assigned: 'A listener has joined the conversation.',
  transferred: 'You are being connected to another listener.',
  listener_lost: 'The listener lost their connection. You are back at the front of the queue.',
  ended: 'The conversation has ended.',
};
