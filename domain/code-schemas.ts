/**
 * The codes' rules (codes.ts) as zod schemas, for request bodies, query strings and forms. Kept apart
 * from codes.ts so that what workflows import carries no zod: the SDK evaluates a workflow bundle's
 * modules once per cached workflow, and zod alone costs about 3 MiB of heap each time.
 */
import { z } from 'zod';
import { isIsoDate } from './codes';

/** A calendar date written YYYY-MM-DD, as a request or a file gives it. */
export const isoDaySchema = z.string().refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD');

/**
 * A record's id as a path or a form writes it: digits only, no sign, no leading zero, nothing around
 * them (so `0x10`, `1e1`, `+1`, `01` and ` 1` are no id at all, not transfer 16 or 10), and no larger
 * than a JavaScript number holds exactly (ids are bigint columns, read as numbers).
 */
export const idTextSchema = z
  .string()
  .regex(/^[1-9][0-9]*$/, 'must be an id: digits only, with no sign, leading zero, space or other character')
  .transform(Number)
  .refine(Number.isSafeInteger, 'is too large to be an id');
