/**
 * The finance staff pages: funds and their ledger (finance, regional teams, admins), and claims with
 * their decisions and CSV downloads (finance and admins). Mounted inside the staff pages, behind their
 * sign-in; everything goes through services/, as the JSON API does. Approving and marking paid go
 * through a check page first; each decision is a plain form that redirects back to the list, which
 * confirms it and says how the claim now stands.
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
import { CHECKED_DECISIONS, type CheckedDecision, ClaimCheckPage, type ClaimFilter, claimFilterQuery, ClaimPage, ClaimsPage, type ClaimsPageProps } from './claims';
import type { FieldError } from '../forms';
import { claimRejectionSchema } from '../../../domain/transfer-schemas';
import { FundPage, FundsPage } from './funds';

const FUND_ROLES: StaffRole[] = ['finance', 'regional', 'admin'];
const CLAIM_ROLES: StaffRole[] = ['finance', 'admin'];

/** An empty field of a GET form ("All funds") is no filter. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const claimQuery = z.object({ fundId: optional(idTextSchema), status: optional(z.enum(CLAIM_STATUSES)) });
const lineQuery = z.object({ fundId: optional(idTextSchema), claimId: optional(idTextSchema), status: optional(z.enum(CLAIM_LINE_STATUSES)) });
/** The claims list's filter fields, in words for a filter that cannot be read (a select sends only its own values). */
const FILTER_WORDS: Readonly<Record<keyof ClaimFilter, string>> = { fundId: 'Choose a fund from the list', status: 'Choose a status from the list' };

function valid<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw invalidRequest(parsed.error.issues);
  return parsed.data;
}

/** The list a decision came from, to go back to; whatever cannot be read is dropped, not trusted. */
function filterFrom(back: unknown): ClaimFilter {
  return readFilter(typeof back === 'string' ? Object.fromEntries(new URLSearchParams(back)) : {}).filter;
}

/** The claims list's filter as a query gives it: the fields that can be read, and an error at each that cannot. */
function readFilter(query: Record<string, string>): { filter: ClaimFilter; errors: FieldError[] } {
  const parsed = claimQuery.safeParse(query);
  if (parsed.success) return { filter: parsed.data, errors: [] };
  const wrong = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const readable = Object.fromEntries(Object.entries(query).filter(([name]) => !wrong.has(name)));
  return { filter: claimQuery.safeParse(readable).data ?? {}, errors: [...wrong].map((field) => ({ field, message: FILTER_WORDS[field as keyof ClaimFilter] })) };
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
    const { changed, ...query } = c.req.query();
    const { filter, errors } = readFilter(query);
    return c.html(await claimsPage(c.get('staff'), filter, { changedId: idTextSchema.safeParse(changed).data, errors }), errors.length ? 400 : 200);
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

  /** The check before approving a claim or marking it paid: its figures and lines, and the button that sends the decision. */
  app.get('/claims/:id/:decision{approve|paid}', requireRole(...CLAIM_ROLES), async (c) => {
    const staff = c.get('staff');
    const claimId = pathIdOf(c.req.param('id'));
    const decision = c.req.param('decision') as CheckedDecision;
    const [claim] = await claimsInScope(deps, staff, { claimId });
    if (!claim) throw new NotFound(`claim ${claimId} not found`);
    const { filter } = readFilter(c.req.query());
    const page = <ClaimCheckPage staff={staff} claim={claim} lines={await claimLinesInScope(deps, staff, { claimId })} decision={decision} filter={filter} />;
    return c.html(page, claim.status === CHECKED_DECISIONS[decision].from ? 200 : 409);
  });

  /**
   * A decision on a claim, made through services/claims.ts as the API makes it. Approving and marking
   * paid are sent from their check page, which says so; without it, the check page is shown first. A
   * rejection without a reason, or a decision the claim's state refuses (another person decided
   * first), shows the list again with what is wrong; otherwise back to the list, which confirms the
   * decision and says how the claim now stands.
   */
  app.post('/claims/:id/:decision{approve|reject|paid}', requireRole(...CLAIM_ROLES), async (c) => {
    const staff = c.get('staff');
    const claimId = pathIdOf(c.req.param('id'));
    const decision = DECISIONS[c.req.param('decision') as keyof typeof DECISIONS];
    const body = await c.req.parseBody();
    const filter = filterFrom(body.back);
    if (decision.kind !== 'reject' && body.confirm !== 'yes') {
      const query = claimFilterQuery(filter);
      return c.redirect(`/staff/claims/${claimId}/${c.req.param('decision')}${query ? `?${query}` : ''}`, 303);
    }
    let reason = '';
    if (decision.kind === 'reject') {
      const parsed = claimRejectionSchema.safeParse(body);
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
