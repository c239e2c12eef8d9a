/** Orders of listed records that both stores share, so their answers match item for item. */
import type { ConversationRecord, UserRecord } from './records';

/** Plain code-unit order, as Redis sorts members of equal score. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Users by username, ignoring case (usernames are unique that way), then by id. */
export function byUsername(a: UserRecord, b: UserRecord): number {
  return compareStrings(a.username.toLowerCase(), b.username.toLowerCase()) || compareStrings(a.id, b.id);
}

/** Flagged conversations, the longest flagged first, then by id. */
export function byFlagTime(a: ConversationRecord, b: ConversationRecord): number {
  return (a.flaggedAt ?? 0) - (b.flaggedAt ?? 0) || compareStrings(a.id, b.id);
}
