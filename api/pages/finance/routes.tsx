/**
 * The finance staff pages: funds and their ledger (finance, regional teams, admins), and claims with
 * their decisions and CSV downloads (finance and admins). Mounted inside the staff pages, behind their
 * sign-in; everything goes through services/, as the JSON API does. Decisions are plain forms that
 * redirect back to the list, which says how the claim now stands.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { fundLedgerByDay } from '../../../db/repositories/funds';
import { CLAIM_LINE_STATUSES, CLAIM_STATUSES, type StaffRole, type StaffUser } from '../../../db/schema';
import { requireRole } from '../../auth';
import type { AppDeps, AppEnv } from '../../context';
import { DomainError, NotFound } from '../../../domain/failures';
import { claimLinesCsv, claimsCsv } from '../../../reports/claims-csv';
import { auditExport, claimLinesInScope, claimsInScope, decideClaimAs } from '../../../services/claims';
import { fundInScope, fundsInScope } from '../../../services/funds';
import { csvDownload } from '../../csv';
import { statusOf } from '../../errors';
import { invalidRequest, pathIdOf } from '../../openapi';
import { idTextSchema } from '../../../domain/code-schemas';
import { type ClaimFilter, claimFilterQuery, ClaimPage, ClaimsPage, type ClaimsPageProps } from './claims';
import { FundPage, FundsPage } from './funds';

const FUND_ROLES: StaffRole[] = ['finance', 'regional', 'admin'];
const CLAIM_ROLES: StaffRole[] = ['finance', 'admin'];

/** An empty field of a GET form ("All funds") is no filter. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const claimQuery = z.object({ fundId: optional(idTextSchema), status: optional(z.enum(CLAIM_STATUSES)) });
const lineQuery = z.object({ fundId: optional(idTextSchema), claimId: optional(idTextSchema), status: optional(z.enum(CLAIM_LINE_STATUSES)) });
const rejectForm = z.object({
  reason: z
    .string({ error: 'Enter why you are rejecting the claim' })
    .trim()
    .min(1, 'Enter why you are rejecting the claim')
    .max(500, 'Keep the reason under 500 characters'),
});

function valid<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw invalidRequest(parsed.error.issues);
  return parsed.data;
}

/** The list a decision came from, to go back to; whatever cannot be read is dropped, not trusted. */
function filterFrom(back: unknown): ClaimFilter {
  const parsed = claimQuery.safeParse(typeof back === 'string' ? Object.fromEntries(new URLSearchParams(back)) : {});
  return parsed.success ? parsed.data : {};
}

const DECISIONS = {
  approve: { kind: 'approve', done: 'approved' },
  reject: { kind: 'reject', done: 'rejected' },
  paid: { kind: 'pay', done: 'marked paid' },
} as const;

export function financePages(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/funds', requireRole(...FUND_ROLES), async (c) => c.html(<FundsPage staff={c.get('staff')} funds={await fundsInScope(deps, c.get('staff'))} />));

  app.get('/funds/:id', requireRole(...FUND_ROLES), async (c) => {
    const staff = c.get('staff');
    const fund = await fundInScope(deps, staff, pathIdOf(c.req.param('id')));
    const [days, claims] = await Promise.all([
      fundLedgerByDay(deps.db, fund.id),
      CLAIM_ROLES.includes(staff.role)
        ? Promise.all([
            claimLinesInScope(deps, staff, { fundId: fund.id, status: 'month_open' }),
            claimLinesInScope(deps, staff, { fundId: fund.id, status: 'held' }),
            claimsInScope(deps, staff, { fundId: fund.id, status: 'submitted' }),
          ])
        : undefined,
    ]);
    return c.html(
      <FundPage staff={staff} fund={fund} days={days} claims={claims && { monthOpenLines: claims[0], heldLines: claims[1], awaitingDecision: claims[2].length }} />,
    );
  });

  app.get('/claims', requireRole(...CLAIM_ROLES), async (c) => {
    const filter = valid(claimQuery, c.req.query());
    return c.html(await claimsPage(c.get('staff'), filter, { changedId: idTextSchema.safeParse(c.req.query('changed')).data }));
  });

  app.get('/claims/claims.csv', requireRole(...CLAIM_ROLES), async (c) => {
    const filter = valid(claimQuery, c.req.query());
    const claims = await claimsInScope(deps, c.get('staff'), filter);
    await auditExport(deps, c.get('staff'), 'claims', filter, claims.length);
    return csvDownload(c, 'claims.csv', claimsCsv(claims));
  });

  app.get('/claims/lines.csv', requireRole(...CLAIM_ROLES), async (c) => {
    const filter = valid(lineQuery, c.req.query());
    const lines = await claimLinesInScope(deps, c.get('staff'), filter);
    await auditExport(deps, c.get('staff'), 'claim-lines', filter, lines.length);
    return csvDownload(c, 'claim-lines.csv', claimLinesCsv(lines));
  });

  app.get('/claims/:id', requireRole(...CLAIM_ROLES), async (c) => {
    const staff = c.get('staff');
    const claimId = pathIdOf(c.req.param('id'));
    const [claim] = await claimsInScope(deps, staff, { claimId });
    if (!claim) throw new NotFound(`claim ${claimId} not found`);
    return c.html(<ClaimPage staff={staff} claim={claim} lines={await claimLinesInScope(deps, staff, { claimId })} />);
  });

  /**
   * A decision on a claim, made through services/claims.ts as the API makes it. A rejection without a
   * reason, or a decision the claim's state refuses (another person decided first), shows the list
   * again with what is wrong; otherwise back to the list, which says how the claim now stands.
   */
  app.post('/claims/:id/:decision{approve|reject|paid}', requireRole(...CLAIM_ROLES), async (c) => {
    const staff = c.get('staff');
    const claimId = pathIdOf(c.req.param('id'));
    const decision = DECISIONS[c.req.param('decision') as keyof typeof DECISIONS];
    const body = await c.req.parseBody();
    const filter = filterFrom(body.back);
    let reason = '';
    if (decision.kind === 'reject') {
      const parsed = rejectForm.safeParse(body);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((issue) => ({ field: `reason-${claimId}`, message: `Claim ${claimId}: ${issue.message}` }));
        return c.html(await claimsPage(staff, filter, { errors, submitted: { claimId, reason: typeof body.reason === 'string' ? body.reason : '' } }), 400);
      }
      reason = parsed.data.reason;
    }
    try {
      await decideClaimAs(deps, staff, claimId, decision.kind === 'reject' ? { kind: 'reject', reason } : { kind: decision.kind });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const errors = [{ field: `claim-${claimId}`, message: `Claim ${claimId} could not be ${decision.done}: ${error.message}` }];
      return c.html(await claimsPage(staff, filter, { errors }), statusOf(error));
    }
    return c.redirect(`/staff/claims?${claimFilterQuery(filter, { changed: String(claimId) })}`, 303);
  });

  async function claimsPage(
    staff: StaffUser,
    filter: ClaimFilter,
    options: { changedId?: number; errors?: ClaimsPageProps['errors']; submitted?: ClaimsPageProps['submitted'] } = {},
  ) {
    const [funds, claims, changed] = await Promise.all([
      fundsInScope(deps, staff),
      claimsInScope(deps, staff, filter),
      options.changedId === undefined ? [] : claimsInScope(deps, staff, { claimId: options.changedId }),
    ]);
    return <ClaimsPage staff={staff} funds={funds} filter={filter} claims={claims} changed={changed[0]} errors={options.errors} submitted={options.submitted} />;
  }

  return app;
}
