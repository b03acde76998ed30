/**
 * A campaign launch as people write it (API body, CLI options, staff form), and the rules it obeys
 * before anything is looked up: codes well formed, a period that ends after it starts, reminders
 * inside the response window. Cohort rules not given take their defaults.
 */
import { z } from 'zod';
import { isoDaySchema } from './code-schemas';
import { DEFAULT_COHORT_RULES, type CohortRules } from './cohort';
import { DEFAULT_TRANSFER_SETTINGS } from './transfer-settings';

const odsCode = z.string().regex(/^[A-Z0-9]{3,5}$/, 'must be an ODS code such as RWE');
const treatmentFunctionCode = z.string().regex(/^\d{3}$/, 'must be a treatment function code such as 110');
const wholeNumber = (min: number, max: number) => z.number().int('must be a whole number').min(min).max(max);
const distinct = (values: readonly string[]) => new Set(values).size === values.length;

const cohortRulesSchema = z
  .object({
    minWeeksWaited: wholeNumber(0, 104),
    noAppointmentWithinWeeks: wholeNumber(0, 52),
    minAge: z.number().int('must be a whole number').min(18, 'campaigns are for adults: 18 or more').max(120),
    declinedWithinDays: wholeNumber(0, 730),
  })
  .partial()
  .strict();

/** A launch as people write it (API body, CLI options). Cohort rules not given take their defaults. */
export const launchCampaignSchema = z
  .object({
    name: z.string().trim().min(1, 'a campaign needs a name').max(200),
    regionCode: z.string().regex(/^Y\d{2}$/, 'must be an NHS England region code such as Y60'),
    trusts: z
      .array(odsCode)
      .min(1, 'name at least one trust, or leave trusts out for the trusts of the region that missed their volume')
      .max(500)
      .refine(distinct, 'a trust is named twice')
      .optional(),
    treatmentFunctions: z.array(treatmentFunctionCode).min(1, 'name at least one treatment function').max(100).refine(distinct, 'a treatment function is named twice'),
    fundId: z.number().int().positive(),
    period: z
      .object({ from: isoDaySchema, to: isoDaySchema })
      .strict()
      .refine((period) => period.to >= period.from, { message: 'must not be before the period starts', path: ['to'] }),
    cohortRules: cohortRulesSchema.default({}),
    responseWindowDays: wholeNumber(1, 60).default(DEFAULT_TRANSFER_SETTINGS.responseWindowDays),
    /** Days after the offer a reminder goes out; by default those of the standard settings that fall inside the window. */
    reminderDays: z.array(wholeNumber(1, 60)).max(10).optional(),
    maxOffers: wholeNumber(1, 1_000_000),
    dryRun: z.boolean().default(false),
  })
  .strict()
  .superRefine((launch, context) => {
    const reminders = launch.reminderDays ?? [];
    reminders.forEach((day, index) => {
      if (day >= launch.responseWindowDays) {
        context.addIssue({ code: 'custom', path: ['reminderDays', index], message: `a reminder must go before the response window ends (day ${launch.responseWindowDays})` });
      }
      if (index > 0 && day <= reminders[index - 1]!) {
        context.addIssue({ code: 'custom', path: ['reminderDays', index], message: 'reminders must be in ascending order, each day once' });
      }
    });
  })
  .transform((launch) => ({
    ...launch,
    cohortRules: { ...DEFAULT_COHORT_RULES, ...launch.cohortRules } satisfies CohortRules,
    reminderDays: launch.reminderDays ?? DEFAULT_TRANSFER_SETTINGS.reminderDays.filter((day) => day < launch.responseWindowDays),
  }));

export type LaunchCampaignInput = z.input<typeof launchCampaignSchema>;
export type LaunchCampaign = z.output<typeof launchCampaignSchema>;
