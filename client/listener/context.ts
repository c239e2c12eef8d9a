/** What every part of the console needs. */
import type { CannedResponse } from '../../shared/protocol';
import type { StaffI18n } from '../ui/staff-i18n';
import type { ListenerConnection } from './listener-connection';

export interface ConsoleContext {
  i18n: StaffI18n;
  conn: ListenerConnection;
  topics: readonly string[];
  maxMessageLength: number;
  canned(language: string): CannedResponse[];
}
