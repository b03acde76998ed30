/** The transfer's rules, as the workflow, the API and the staff forms all check them. */
import { describe, expect, it } from 'vitest';
import { isClosedState, TRANSFER_STATES } from '../../domain/transfer';
import { outcomeSchema, providerDecisionSchema, recordableOutcomeSchema, reviewDecisionSchema } from '../../domain/transfer-schemas';

const fieldsAtFault = (result: { success: boolean; error?: { issues: readonly { path: readonly PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('the transfer rules', () => {
  it('needs a reason for a refusal and a rejection, and none for a yes', () => {
    expect(reviewDecisionSchema.safeParse({ decision: 'confirm' }).success).toBe(true);
    expect(fieldsAtFault(reviewDecisionSchema.safeParse({ decision: 'refuse' }))).toEqual(['reason']);
    expect(fieldsAtFault(reviewDecisionSchema.safeParse({ decision: 'refuse', reason: '   ' }))).toEqual(['reason']);
    expect(providerDecisionSchema.safeParse({ decision: 'reject', reason: 'Anaesthetic risk' }).success).toBe(true);
    expect(fieldsAtFault(providerDecisionSchema.safeParse({ decision: 'reject' }))).toEqual(['reason']);
    expect(fieldsAtFault(providerDecisionSchema.safeParse({ decision: 'maybe' }))).toEqual(['decision']);
  });

  it('needs the code and date of a treatment, normalises the code, and refuses a date after today', () => {
    expect(outcomeSchema.parse({ outcome: 'treated', procedureCode: ' w371 ', treatedOn: '2026-12-01' })).toMatchObject({ procedureCode: 'W37.1' });
    expect(fieldsAtFault(outcomeSchema.safeParse({ outcome: 'treated' }))).toEqual(['procedureCode', 'treatedOn']);
    expect(fieldsAtFault(outcomeSchema.safeParse({ outcome: 'treated', procedureCode: 'W3', treatedOn: '1 Dec' }))).toEqual(['procedureCode', 'treatedOn']);
    expect(outcomeSchema.safeParse({ outcome: 'did_not_attend' }).success).toBe(true);
    const onThe2nd = recordableOutcomeSchema('2026-12-02');
    expect(onThe2nd.safeParse({ outcome: 'treated', procedureCode: 'W37.1', treatedOn: '2026-12-02' }).success).toBe(true);
    expect(fieldsAtFault(onThe2nd.safeParse({ outcome: 'treated', procedureCode: 'W37.1', treatedOn: '2026-12-03' }))).toEqual(['treatedOn']);
  });

  it('closes exactly the states that end a transfer', () => {
    const closed = TRANSFER_STATES.filter(isClosedState);
    expect(closed).not.toContain('booked');
    expect(closed).toContain('campaign_cancelled');
    expect(closed).toHaveLength(12);
  });
});
