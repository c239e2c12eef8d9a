/** Random ids for `clientMsgId`: 24 hex characters from the browser's CSPRNG. */
export function newClientMsgId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
