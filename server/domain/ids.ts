/** Identifiers and secrets: all from the CSPRNG. */
import { createHash, randomBytes } from 'node:crypto';

/** An opaque id of 96 random bits, URL-safe. */
export const newId = (): string => randomBytes(12).toString('base64url');

/** A bearer token of 192 random bits, URL-safe. */
export const newToken = (): string => randomBytes(24).toString('base64url');

/** What the store keeps instead of a token. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');
