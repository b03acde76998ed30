/**
 * An IS site's exclusion criteria, as structured data: which patients the site cannot safely treat.
 * Every criterion is optional; a site states the ones it applies. New criteria are added here (with
 * their rule in the screening engine) without touching the database, which keeps them as JSON.
 */
import { z } from 'zod';

export const exclusionCriteriaSchema = z
  .object({
    /** Highest body mass index the site accepts. */
    bmiMax: z.number().min(15).max(80).optional(),
    minAge: z.number().int().min(0).max(120).optional(),
    maxAge: z.number().int().min(0).max(120).optional(),
    /** Refuses a heart attack within this many months. */
    heartAttackWithinMonths: z.number().int().min(1).max(120).optional(),
    /** Refuses a stroke or TIA within this many months. */
    strokeWithinMonths: z.number().int().min(1).max(120).optional(),
    /** No level 2/3 critical care on site. */
    excludesCriticalCare: z.boolean().optional(),
    excludesDialysis: z.boolean().optional(),
    excludesUncontrolledDiabetes: z.boolean().optional(),
    excludesUncontrolledHypertension: z.boolean().optional(),
    excludesAnticoagulation: z.boolean().optional(),
    excludesSickleCell: z.boolean().optional(),
    excludesUnstablePsychiatric: z.boolean().optional(),
  })
  .strict()
  .refine((criteria) => criteria.minAge === undefined || criteria.maxAge === undefined || criteria.minAge <= criteria.maxAge, {
    message: 'minAge must not be above maxAge',
    path: ['maxAge'],
  });

export type ExclusionCriteria = z.infer<typeof exclusionCriteriaSchema>;
