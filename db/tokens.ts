/**
 * Secret tokens (staff bearer tokens, patient offer links): 256 random bits, shown once, stored only
 * as a SHA-256 hash. The tokens carry no information, so a fast hash is enough to make a leaked table
 * useless; there is nothing to brute-force.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
