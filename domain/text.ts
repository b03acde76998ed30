/**
 * Text the database can keep exactly as it was given. PostgreSQL's text holds every Unicode character
 * but NUL (U+0000): a NUL makes the whole statement or COPY fail. And a string with half a surrogate
 * pair (which JSON can write as "\ud800", though UTF-8 cannot) is no character at all: it would be
 * stored as U+FFFD, silently changed. Every field that comes in from outside is checked by this rule.
 */
import type { z } from 'zod';

// ES2024, in Node 20; the project's lib is ES2023.
declare global {
  interface String {
    isWellFormed(): boolean;
  }
}

/** Why the text cannot be stored as it is, or undefined when it can. Called for every imported field. */
export function unstorableText(value: string): string | undefined {
  if (value.indexOf('\0') !== -1) return 'contains a NUL character (byte 0x00), which text cannot hold';
  if (!value.isWellFormed()) return 'contains half of a UTF-16 surrogate pair (\\ud800–\\udfff), which is not a character';
  return undefined;
}

const UNSHOWABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with each NUL and unpaired surrogate written as its \u escape, so it can be shown and stored. */
export function showableText(value: string): string {
  return unstorableText(value) ? value.replace(UNSHOWABLE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`) : value;
}

/** The same rule for a string a request carries: `z.string().superRefine(storableText)`. */
export function storableText(value: string, context: z.RefinementCtx): void {
  const reason = unstorableText(value);
  if (reason) context.addIssue({ code: 'custom', message: reason });
}

/** A count as people write it: "1,204". */
export function formatCount(count: number): string {
  return count.toLocaleString('en-GB');
}

/** A count and its noun, as people write it: "1 week", "2 weeks", "1,204 candidates". */
export function pluralise(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}
