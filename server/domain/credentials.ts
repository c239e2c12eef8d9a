/** Checks of staff credentials: session ids from tokens, the session cookie, constant-time comparison, passwords. */
import { createHash, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import { parseCookie } from 'cookie';

/** Name of the staff session cookie. */
export const SESSION_COOKIE = 'ps_sid';

/** The session id the store keeps for a token: its sha256, hex. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The session token in a raw Cookie header, if any. */
export function readSessionCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parseCookie(cookieHeader)[SESSION_COOKIE];
}

/** Compares two secrets in constant time, whatever their lengths. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** True when the password matches the stored argon2 hash; false for a malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    // A malformed stored hash must not turn into a 500 that tells the user exists.
    return false;
  }
}
