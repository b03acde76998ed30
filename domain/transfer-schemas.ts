/**
 * The transfer's request rules (transfer.ts) as zod schemas, for the API's bodies (and their OpenAPI
 * description) and the staff forms. The rules between fields are transfer.ts's own functions; the
 * workflow, which must not carry zod, checks requests with those functions alone.
 */
import { z } from 'zod';
import { normaliseOpcs4 } from './codes';
import {
  type DecisionKind,
  decisionReasonIssues,
  OUTCOME_WORDS,
  OUTCOMES,
  outcomeRuleIssues,
  PROVIDER_DECISION,
  REASON_MAX_LENGTH,
  REASON_TOO_LONG,
  type RequestIssue,
  REVIEW_DECISION,
} from './transfer';

/** A person's reason in their words; blank is no reason, which a rule needing one refuses once, by name. */
const reasonText = z.string().trim().max(REASON_MAX_LENGTH, REASON_TOO_LONG);

/** What finance says when a claim is rejected: a reason, needed, in the same bounds as every person's reason. */
const CLAIM_REJECTION_NEEDS_A_REASON = 'Enter why you are rejecting the claim: a rejection needs a reason';
/** A claim's rejection, for the API's body and finance's page. */
export const claimRejectionSchema = z.object({
  reason: z.string({ error: CLAIM_REJECTION_NEEDS_A_REASON }).trim().min(1, CLAIM_REJECTION_NEEDS_A_REASON).max(REASON_MAX_LENGTH, REASON_TOO_LONG),
});

const addIssues = (issues: readonly RequestIssue[], context: z.RefinementCtx) => {
  for (const issue of issues) context.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
};

function decisionSchema<const Yes extends string, const No extends string>(kind: DecisionKind<Yes, No>) {
  return z
    .object({ decision: z.enum([kind.yes, kind.no], { error: kind.words.choose }), reason: reasonText.optional() })
    .superRefine((body, context) => addIssues(decisionReasonIssues(kind, body.decision, body.reason), context));
}

export const reviewDecisionSchema = decisionSchema(REVIEW_DECISION);
export const providerDecisionSchema = decisionSchema(PROVIDER_DECISION);

function outcomeSchemaOn(today?: string) {
  return z
    .object({
      outcome: z.enum(OUTCOMES, { error: OUTCOME_WORDS.choose }),
      procedureCode: z.string().trim().transform(normaliseOpcs4).optional(),
      treatedOn: z.string().trim().optional(),
      reason: reasonText.optional(),
    })
    .superRefine((body, context) => addIssues(outcomeRuleIssues(body, today), context));
}

/** A provider's outcome of a booking: treated needs the procedure's OPCS-4 code and its date. */
export const outcomeSchema = outcomeSchemaOn();

/** The outcome as it may be recorded on `today`: besides the above, a procedure cannot be dated after today. */
export function recordableOutcomeSchema(today: string) {
  return outcomeSchemaOn(today);
}
