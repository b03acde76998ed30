/**
 * Secret tokens (staff bearer tokens, patient offer links), shown once, stored only as a SHA-256 hash.
 * The tokens carry no information, so a fast hash is enough to make a leaked table useless; there is
 * nothing to brute-force. Staff tokens have 256 random bits; a patient's link has 130, short enough
 * for a text message and still far beyond guessing (each link also expires with its offer).
 */
import { createHash, randomBytes } from 'node:crypto';

export function newSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 22 base-62 characters: 62^22 > 2^130. */
const LINK_TOKEN_LENGTH = 22;

/**
 * A token for a patient's link: 22 letters and digits (about 130 random bits), which every phone's
 * linkifier keeps whole (a trailing - or _ it may cut off) and a patient can type from a letter.
 */
export function newLinkToken(): string {
  let token = '';
  while (token.length < LINK_TOKEN_LENGTH) {
    // 248 = 4 × 62: bytes above it are dropped so every character is equally likely.
    for (const byte of randomBytes(32)) if (byte < 248 && token.length < LINK_TOKEN_LENGTH) token += BASE62[byte % 62];
  }
  return token;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
