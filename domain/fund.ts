/**
 * A new fund as people write it (API body, CLI file): name, allocation in whole pence, window, and
 * scope: a region, trusts (each with an optional allocation of its own) and treatment functions.
 */
import { z } from 'zod';
import { isoDaySchema } from './code-schemas';

const pence = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const newFundSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    allocationPence: pence,
    windowFrom: isoDaySchema,
    windowTo: isoDaySchema,
    regionCode: z.string().regex(/^Y\d{2}$/, 'must be an NHS England region code such as Y60').nullable().default(null),
    trusts: z
      .array(z.strictObject({ trustOds: z.string().regex(/^[A-Z0-9]{3,5}$/, 'must be an ODS code such as RWE'), allocationPence: pence.nullable().default(null) }))
      .max(500)
      .default([]),
    treatmentFunctions: z.array(z.string().regex(/^\d{3}$/, 'must be a treatment function code such as 110')).max(100).default([]),
  })
  .refine((fund) => fund.windowTo >= fund.windowFrom, { message: 'must not be before windowFrom', path: ['windowTo'] });

export type NewFund = z.infer<typeof newFundSchema>;
