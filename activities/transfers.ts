/**
 * The transfer's own records: opening it, mirroring its state, screening, the clinician's review, the
 * offer's choices, the patient's answers, outcomes. Each is safe to repeat: a retried activity finds
 * its work done and adds nothing.
 */
import { Context } from '@temporalio/activity';
import { sql } from 'kysely';
import { audit } from '../db/repositories/audit';
import { setBookingStatus } from '../db/repositories/bookings';
import { saveOfferChoices, siteCandidates } from '../db/repositories/offer-choices';
import { fundRoomForTrust, fundScope } from '../db/repositories/funds';
import { recordPatientResponse, recordReview } from '../db/repositories/responses';
import { getTransferSubject, passingSites, saveScreening, screenedOutDetail, sitesWithCapacity, type TransferSubject } from '../db/repositories/screening';
import { addTransferEvent, openTransferRow, setTransferState } from '../db/repositories/transfers';
import { dayOf } from '../domain/dates';
import { Invalid, NotFound } from '../domain/failures';
import { bookablePeriod, composeOffer, type Period } from '../domain/offer';
import { screen } from '../domain/screening';
import type { OutcomeInput, RecordedResponse, ReviewInput, TransferState } from '../domain/transfer';
import type { ActivityDeps } from './index';

export interface OpenTransferInput {
  readonly pathwayId: number;
  readonly fundId: number;
  readonly period?: Period;
  readonly campaignId?: number;
}

export interface OpenedTransfer {
  readonly transferId: number;
  readonly trustOds: string;
  readonly period: Period;
}

export interface TransferStateChange {
  readonly transferId: number;
  readonly state: TransferState;
  readonly closed: boolean;
  readonly detail?: Record<string, unknown>;
}

export interface ComposeOfferInput {
  readonly transferId: number;
  readonly round: number;
  readonly fundId: number;
  readonly period: Period;
  readonly excludeSites: readonly string[];
  readonly maxChoices: number;
  /** Record the transfer as offered in the same step, when there is anything to offer. */
  readonly opensOffer?: boolean;
}

export function transferActivities({ db, now }: ActivityDeps) {
  const today = () => dayOf(now());

  async function subjectOf(transferId: number): Promise<TransferSubject> {
    const subject = await getTransferSubject(db, transferId);
    if (!subject) throw new NotFound(`transfer ${transferId} not found`);
    return subject;
  }

  /**
   * Opens (or finds) this run's transfer row. Returns what the workflow carries from then on: the
   * transfer's id, its trust, and the period its offers are for (the fund's window when none is given).
   */
  async function openTransfer(input: OpenTransferInput): Promise<OpenedTransfer> {
    const scope = await fundScope(db, input.fundId, input.pathwayId);
    if (!scope) throw new NotFound(`fund ${input.fundId} or pathway ${input.pathwayId} not found`);
    if (scope.problem) throw new Invalid(scope.problem, { field: 'fundId', reason: 'fund_out_of_scope' });
    const { workflowExecution } = Context.current().info;
    if (!workflowExecution) throw new Error('openTransfer runs only as a workflow activity');
    const period = input.period ?? scope.window;
    const transfer = await openTransferRow(db, {
      pathwayId: input.pathwayId,
      fundId: input.fundId,
      period,
      campaignId: input.campaignId ?? null,
      workflowId: workflowExecution.workflowId,
      runId: workflowExecution.runId,
    });
    return { transferId: transfer.id, trustOds: scope.trustOds, period };
  }

  /** Screens the patient against each IS site with capacity for them in the period; stores every result. */
  async function screenTransfer(input: { transferId: number; period: Period }): Promise<{ passingSites: number }> {
    const subject = await subjectOf(input.transferId);
    const sites = await sitesWithCapacity(db, subject, bookablePeriod(input.period, today()));
    const results = sites.map(({ siteOds, criteria }) => {
      const result = screen(subject.facts, criteria, today());
      return { siteOds, passes: result.passes, exclusions: result.passes ? [] : result.exclusions };
    });
    await saveScreening(db, input.transferId, results);
    return { passingSites: results.filter((result) => result.passes).length };
  }

  /** Mirrors the workflow's state into the transfers table and its timeline; a screened-out transfer's event says why, site by site. */
  async function recordTransferState(input: TransferStateChange): Promise<void> {
    const detail = input.state === 'screened_out' ? { ...input.detail, ...(await screenedOutDetail(db, input.transferId)) } : input.detail;
    await setTransferState(db, input.transferId, input.state, input.closed, detail);
  }

  /**
   * Composes an offer round: the sites the patient passed (less any excluded), each with its first
   * free slot and price, within their travel and the fund's remaining money; nearest first.
   * Returns the site codes only: the workflow carries no more.
   */
  async function composeTransferOffer(input: ComposeOfferInput): Promise<{ sites: string[] }> {
    const subject = await subjectOf(input.transferId);
    const period = bookablePeriod(input.period, today());
    const sites = (await passingSites(db, input.transferId)).filter((site) => !input.excludeSites.includes(site));
    const candidates = await siteCandidates(db, sites, {
      treatmentFunctionCode: subject.treatmentFunctionCode,
      procedureCode: subject.procedureCode,
      ...period,
    });
    const choices = composeOffer({
      patientLocation: subject.location,
      travelMaxMiles: subject.travelMaxMiles,
      candidates,
      fundRemainingPence: await fundRoomForTrust(db, input.fundId, subject.trustOds),
      maxChoices: input.maxChoices,
    });
    const sources = new Map(candidates.map((candidate) => [candidate.siteOds, candidate.priceSource]));
    await saveOfferChoices(db, input.transferId, input.round, choices.map((choice) => ({ ...choice, priceSource: sources.get(choice.siteOds)! })));
    if (input.opensOffer && choices.length > 0) {
      await recordTransferState({ transferId: input.transferId, state: 'offered', closed: false, detail: { round: input.round, choices: choices.length } });
    }
    return { sites: choices.map((choice) => choice.siteOds) };
  }

  return {
    openTransfer,
    screenTransfer,
    recordTransferState,

    /**
     * The transfer's first step as one: open it, screen it, and record where that leaves it (screened
     * out, or awaiting the clinician's review). Each part is safe to repeat, so the whole is.
     */
    async openAndScreenTransfer(input: OpenTransferInput): Promise<OpenedTransfer & { passingSites: number }> {
      const opened = await openTransfer(input);
      const { passingSites } = await screenTransfer(opened);
      await recordTransferState(
        passingSites === 0
          ? { transferId: opened.transferId, state: 'screened_out', closed: true }
          : { transferId: opened.transferId, state: 'awaiting_review', closed: false, detail: { passingSites } },
      );
      return { ...opened, passingSites };
    },

    async recordTransferEvent(input: { transferId: number; kind: string; detail: Record<string, unknown> }): Promise<void> {
      await addTransferEvent(db, input.transferId, input.kind, input.detail);
    },

    async recordReview(input: ReviewInput & { transferId: number }): Promise<void> {
      await recordReview(db, input);
    },

    composeTransferOffer,

    /**
     * The clinician's review, recorded as recordReview does; a confirmed one composes and opens the
     * first offer in the same step (its round 1, with no site excluded) and returns it.
     */
    async reviewTransfer(input: ReviewInput & { transferId: number; firstOffer: Omit<ComposeOfferInput, 'transferId' | 'round' | 'excludeSites' | 'opensOffer'> }): Promise<{ sites: string[] } | null> {
      const { firstOffer, ...review } = input;
      await recordReview(db, review);
      if (review.decision !== 'confirm') return null;
      return composeTransferOffer({ ...firstOffer, transferId: input.transferId, round: 1, excludeSites: [], opensOffer: true });
    },

    /** Records a patient's answer with its time, channel and wording version. */
    async recordResponse(input: { transferId: number; responseKey: string; round: number; response: RecordedResponse }): Promise<void> {
      const { response } = input;
      await recordPatientResponse(db, {
        transferId: input.transferId,
        responseKey: input.responseKey,
        kind: response.kind,
        channel: response.channel,
        wordingVersion: response.wordingVersion,
        respondedAt: response.at,
        round: input.round,
        ...(response.kind === 'accept' ? { siteOds: response.siteOds, slotId: response.slotId, consents: response.consents } : {}),
        ...('reason' in response && response.reason ? { reason: response.reason } : {}),
        ...(response.actor ? { actor: response.actor } : {}),
      });
    },

    /** Back on the trust's list: the pathway is waiting again, its clock start untouched. */
    async returnToList(input: { transferId: number }): Promise<void> {
      await db
        .updateTable('pathways')
        .set({ status: 'waiting', updated_at: sql`now()` })
        .where('id', '=', (eb) => eb.selectFrom('transfers').select('pathway_id').where('id', '=', input.transferId))
        .where('status', '=', 'transferred_out')
        .execute();
    },

    /** The provider's outcome, audited with it: treated moves the pathway on to claiming; the others end the booking. */
    async recordOutcome(input: OutcomeInput & { transferId: number; bookingId: number }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('outcomes')
          .values({
            transfer_id: input.transferId,
            booking_id: input.bookingId,
            outcome: input.outcome,
            procedure_code: input.outcome === 'treated' ? input.procedureCode! : null,
            treated_on: input.outcome === 'treated' ? input.treatedOn! : null,
            reason: input.reason?.trim() || null,
            recorded_by: input.actor,
          })
          .onConflict((oc) => oc.column('transfer_id').doNothing())
          .returning('transfer_id')
          .executeTakeFirst();
        if (!inserted) return;
        await setBookingStatus(trx, input.bookingId, input.outcome === 'cancelled' ? 'cancelled' : 'completed', ['accepted'], input.reason ?? null);
        if (input.outcome === 'treated') {
          await trx
            .updateTable('pathways')
            .set({ status: 'treated', updated_at: sql`now()` })
            .where('id', '=', (eb) => eb.selectFrom('transfers').select('pathway_id').where('id', '=', input.transferId))
            .execute();
        }
        await addTransferEvent(trx, input.transferId, `outcome.${input.outcome}`, {
          actor: input.actor,
          ...(input.procedureCode ? { procedureCode: input.procedureCode, treatedOn: input.treatedOn } : {}),
        });
        const { outcome, procedureCode, treatedOn, reason } = input;
        await audit(trx, { actor: input.actor, action: `booking.outcome.${outcome}`, subject: `booking:${input.bookingId}`, detail: { outcome, procedureCode, treatedOn, reason } });
      });
    },

  };
}
