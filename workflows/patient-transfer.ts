/**
 * patientTransferWorkflowV2 (and, for runs begun before it, patientTransferWorkflow): one per
 * pathway, from candidate to treated or back to the trust's list with nothing lost (PRODUCT.md §3 steps 4–9). It carries ids, codes and dates only; everything
 * personal stays in PostgreSQL and is read by activities.
 *
 * screen → clinician review (escalate, lapse) → offer (reminders, call back, lapse, decline)
 * → booking saga (hold slot, commit money, provider accepts or rejects; compensations in reverse)
 * → booked (withdraw until the procedure date) → outcome (treated, did not attend, cancelled).
 * A slot taken meanwhile or a provider's rejection sends the patient the remaining choices.
 *
 * People act through Updates: each is validated (right state, right trust or provider) before it is
 * accepted, and completes only once the main flow has recorded it, so a page that redirects after an
 * Update already reads the new state from the database.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DAY_MS, dayOf } from '../domain/dates';
import { treatedOnProblem } from '../domain/outcome-dates';
import type { Period } from '../domain/offer';
import { transferSettings } from '../domain/transfer-settings';
import {
  type AcceptInput,
  isClosedState,
  isWithdrawable,
  type OutcomeInput,
  type PatientTransferInput,
  decisionIssues,
  normaliseOutcome,
  outcomeIssues,
  PROVIDER_DECISION,
  type ProviderDecisionInput,
  type ResponseInput,
  REVIEW_DECISION,
  type ReviewInput,
  type TransferReport,
  type TransferState,
  type TransferStatus,
  type WithdrawInput,
} from '../domain/transfer';
import { ACTIVITY_OPTIONS, LOCAL_ACTIVITY_OPTIONS, refuseInvalid, refuseTransfer } from './failures';
import { campaignWorkflowId } from './ids';
import {
  campaignCancelledSignal,
  outcomeUpdate,
  providerDecisionUpdate,
  respondUpdate,
  reviewUpdate,
  transferReportSignal,
  transferStatusQuery,
  withdrawUpdate,
} from './messages';
import { TransferStateAttribute, transferSearchAttributes, TrustOdsAttribute } from './search-attributes';

/** The answers that end the wait for a response (a call back leaves the offer open). */
type Answer = Exclude<ResponseInput, { kind: 'callback' }>;

const activities = proxyActivities<Activities>(ACTIVITY_OPTIONS);
const localActivities = proxyLocalActivities<Activities>(LOCAL_ACTIVITY_OPTIONS);

/**
 * Transfers start as this type: the flow as it stands, with no patch to read. Under the older type
 * every run paid for its patches as it began (a marker and an upsert of TemporalChangeVersion: two
 * history events and a visibility write a patient); this one takes every change they guard as given.
 * A change from here on is patched here as usual, until another type sheds the patches again.
 */
export async function patientTransferWorkflowV2(input: PatientTransferInput): Promise<TransferStatus> {
  return transferFlow(input, 'current');
}

/**
 * Transfers started before patientTransferWorkflowV2, still running: the same flow, each change taken
 * as the run's history says (patched()). Nothing starts this type any more; it goes once the last of
 * its runs has closed (a visibility query for WorkflowType and ExecutionStatus says when).
 */
export async function patientTransferWorkflow(input: PatientTransferInput): Promise<TransferStatus> {
  return transferFlow(input, 'patched');
}

/**
 * The transfer's flow for both types. `current` runs take every change as given; `patched` runs ask
 * their history (patched()) for each, as they were recorded.
 */
async function transferFlow(input: PatientTransferInput, version: 'current' | 'patched'): Promise<TransferStatus> {
  const has = (change: string) => version === 'current' || patched(change);
  const settings = transferSettings(input.settings);
  let status: TransferStatus = { transferId: null, state: 'opened', round: 0, choices: [], reviewEscalated: false, booking: null };
  const set = (change: Partial<TransferStatus>) => (status = { ...status, ...change });
  const today = () => dayOf(new Date(Date.now()));
  // A transfer is given its trust (and campaign) as search attributes when it starts, and leaves them
  // be (see search-attributes.ts). One started without them, before starters gave them, sets them and
  // mirrors its state into them as transfers then did, so that its history replays; what it was
  // started with is in its history, so the answer is the same on every replay.
  const mirrorsState = workflowInfo().typedSearchAttributes.get(TrustOdsAttribute) === undefined;
  // Lean runs keep the transfer's own records (opening, screening, its state, the offer's choices, its
  // events) as local activities, the state recorded with the step that changes it: about half the
  // history events per patient. They also take the changes the older patches below guard as given,
  // which saves each its marker.
  //
  // What a person asks for (a review, an answer, a withdrawal, an outcome) comes as an Update, which is
  // durable only once the workflow task accepting it is. A local activity runs inside that task, so a
  // request recorded by one could be written and then lost with the task (a Temporal restart drops
  // Updates not yet accepted): the records would say it happened, the workflow would never hear of it,
  // and the page would no longer let anyone ask again. Runs started from here on (lean too) record each
  // request by an activity, which starts only once its Update is durable; the steps after it are local.
  // Lean runs from before this recorded requests locally.
  const durableRequests = has('requests-recorded-by-activities');
  const lean = durableRequests || has('transfer-records-local');
  const records = lean ? localActivities : activities;
  const requestRecords = durableRequests ? activities : records;

  // What people asked for, waiting for the main flow to act on it and record it.
  const review = new Inbox<ReviewInput>();
  const response = new Inbox<Answer>();
  const withdrawal = new Inbox<WithdrawInput>();
  const providerDecision = new Inbox<ProviderDecisionInput>();
  const outcome = new Inbox<OutcomeInput>();
  let callbacks = 0;
  /** The call back asked for in an offer round, while or once it is recorded: a repeat in that round waits for it and adds nothing. */
  let roundCallback: { round: number; recorded: Promise<void> } | undefined;
  let campaignCancelled = false;
  let reported = false;
  // The days a treatment date is checked against: the patient's consent and the provider's acceptance.
  let consentedOn: string | undefined;
  let acceptedOn: string | undefined;
  // The trust and the offers' period, once the transfer is open.
  let trustOds = '';
  let period: Period = { from: '', to: '' };

  setHandler(transferStatusQuery, () => status);
  setHandler(campaignCancelledSignal, () => {
    campaignCancelled = true;
  });

  setHandler(
    reviewUpdate,
    async (input) => {
      await review.put(input);
      return status;
    },
    {
      validator: (input) => {
        if (status.state !== 'awaiting_review' || review.value) refuseTransfer('not_awaiting_review', `the transfer is not awaiting review (it is ${status.state})`);
        if (input.reviewerTrustOds !== trustOds) refuseTransfer('wrong_trust', `only a clinician of trust ${trustOds} may review this transfer`);
        const issues = decisionIssues(REVIEW_DECISION, input);
        if (issues.length) refuseInvalid(issues);
      },
    },
  );

  setHandler(
    respondUpdate,
    async (input) => {
      if (input.kind === 'callback') {
        // A call back changes nothing in the flow: the offer stays open and its timers run on. Asked
        // again in the same round (a double click, the back button), it is the same call back.
        if (roundCallback?.round === status.round && (lean || has('callback-once-per-round'))) {
          await roundCallback.recorded;
          return status;
        }
        callbacks += 1;
        const recorded = requestRecords.recordResponse({ transferId: transferId(), responseKey: `callback-${status.round}-${callbacks}`, round: status.round, response: input });
        roundCallback = { round: status.round, recorded };
        await recorded;
        return status;
      }
      // The same answer again while the first is acted on (two tabs, a double click): it is that answer,
      // and completes with it, so the page shows where things stand rather than a refusal.
      if (response.value !== undefined && (lean || has('repeated-answer-waits-for-the-first'))) {
        await response.settled();
        return status;
      }
      await response.put(input);
      return status;
    },
    {
      validator: (input) => {
        if (status.state !== 'offered' || (response.value && response.value.kind !== input.kind)) {
          refuseTransfer('offer_not_open', `the offer is not open for an answer (the transfer is ${status.state})`);
        }
        if (input.kind === 'accept') {
          if (!status.choices.includes(input.siteOds)) refuseTransfer('not_a_choice', `${input.siteOds} is not one of the choices offered`);
          if (!Number.isSafeInteger(input.slotId) || input.slotId <= 0) refuseTransfer('no_slot_chosen', 'a date (slot) must be chosen');
          if (!input.consents.transferOfCare || !input.consents.shareRecords) {
            refuseTransfer('consent_missing', 'both consents are needed: to the transfer of care and to sharing records with the provider');
          }
        }
      },
    },
  );

  setHandler(
    withdrawUpdate,
    async (input) => {
      await withdrawal.put(input);
      return status;
    },
    {
      validator: (_input) => {
        if (!isWithdrawable(status.state) || withdrawal.value || outcome.value) refuseTransfer('nothing_to_withdraw', `there is no booking to withdraw from (the transfer is ${status.state})`);
        if (status.booking && today() >= status.booking.procedureDate) {
          refuseTransfer('procedure_date_reached', 'the procedure date has come: withdrawing is no longer possible here');
        }
      },
    },
  );

  setHandler(
    providerDecisionUpdate,
    async (input) => {
      await providerDecision.put(input);
      return status;
    },
    {
      validator: (input) => {
        if (status.state !== 'awaiting_provider' || providerDecision.value) {
          refuseTransfer('not_awaiting_provider', `the booking is not awaiting the provider (the transfer is ${status.state})`);
        }
        if (withdrawal.value) refuseTransfer('not_awaiting_provider', 'the patient has withdrawn: the booking is being cancelled');
        if (input.providerOds !== status.booking?.providerOds) refuseTransfer('wrong_provider', 'only the provider of the booking may accept or reject it');
        const issues = decisionIssues(PROVIDER_DECISION, input);
        if (issues.length) refuseInvalid(issues);
      },
    },
  );

  setHandler(
    outcomeUpdate,
    async (input) => {
      // Recorded as the rule reads it (an OPCS-4 code written without its dot gets it), as the validator checked it.
      await outcome.put({ ...input, ...normaliseOutcome(input) });
      return status;
    },
    {
      validator: (input) => {
        if (status.state !== 'booked' || outcome.value || withdrawal.value) {
          refuseTransfer('no_booking_for_outcome', `the transfer has no accepted booking awaiting an outcome (it is ${status.state})`);
        }
        if (input.providerOds !== status.booking?.providerOds) refuseTransfer('wrong_provider', 'only the provider of the booking may record its outcome');
        const issues = outcomeIssues(input, today());
        if (issues.length) refuseInvalid(issues);
        const recorded = normaliseOutcome(input);
        const { treatedOn } = recorded;
        if (recorded.outcome === 'treated' && treatedOn && status.booking && consentedOn && acceptedOn) {
          const problem = treatedOnProblem(treatedOn, { consentedOn, acceptedOn, procedureDate: status.booking.procedureDate });
          if (problem) refuseTransfer(problem.rule, `The date treated cannot be right: ${problem.message}`, 'treatedOn');
        }
      },
    },
  );

  /** The state the workflow is in, for its queries and search attribute, where a step has already recorded it. */
  const enter = (state: TransferState) => {
    set({ state });
    if (mirrorsState) upsertSearchAttributes([{ key: TransferStateAttribute, value: state }]);
  };
  const moveTo = async (state: TransferState, detail: Record<string, unknown> = {}) => {
    enter(state);
    await records.recordTransferState({ transferId: transferId(), state, closed: isClosedState(state), detail });
  };
  const transferId = () => status.transferId!;
  const days = (count: number) => count * DAY_MS;

  try {
    return await flow();
  } finally {
    await ended();
  }

  async function flow(): Promise<TransferStatus> {
    // Open, and screen against every IS site's exclusion criteria.
    const openInput = { pathwayId: input.pathwayId, fundId: input.fundId, period: input.period, campaignId: input.campaignId };
    const opened = lean ? await localActivities.openAndScreenTransfer(openInput) : await activities.openTransfer(openInput);
    ({ trustOds, period } = opened);
    set({ transferId: opened.transferId });
    if (mirrorsState) {
      upsertSearchAttributes([{ key: TransferStateAttribute, value: 'opened' }, ...transferSearchAttributes({ trustOds, campaignId: input.campaignId })]);
    }
    const { passingSites } = 'passingSites' in opened ? opened : await activities.screenTransfer({ transferId: transferId(), period });
    if (passingSites === 0) {
      if (lean) enter('screened_out');
      else await moveTo('screened_out');
      await report('not_offered');
      return status;
    }

    // Clinician review: nothing is offered without it. Escalate once, then lapse.
    if (lean) enter('awaiting_review');
    else await moveTo('awaiting_review', { passingSites });
    const reviewedOrCancelled = () => review.value !== undefined || campaignCancelled;
    if (!(await condition(reviewedOrCancelled, days(settings.reviewWindowDays)))) {
      await activities.sendTransferMessage({ transferId: transferId(), intent: 'review-escalation', kind: 'review-escalation' });
      set({ reviewEscalated: true });
      await condition(reviewedOrCancelled, days(settings.reviewLapseDays));
    }
    if (!review.value) {
      if (campaignCancelled) return endForCampaign(null, false);
      await moveTo('review_lapsed');
      await report('not_offered');
      return status;
    }
    const decision = review.value;
    // A current run records the review and, when confirmed, composes and opens the first offer in the
    // same activity; patched runs compose it in the first round, as they were recorded.
    const firstOffer =
      version === 'current'
        ? await activities.reviewTransfer({ transferId: transferId(), ...decision, firstOffer: { fundId: input.fundId, period, maxChoices: settings.maxChoices } })
        : await requestRecords.recordReview({ transferId: transferId(), ...decision }).then(() => null);
    if (decision.decision === 'refuse') {
      await moveTo('refused', { reason: decision.reason });
      review.recorded();
      await report('not_offered');
      return status;
    }
    review.recorded();

    // Offer rounds, until a booking is accepted or the patient's place on the list is all that is left.
    const excludedSites: string[] = [];
    let reoffer: 'slot-taken' | 'provider-rejected' | undefined;
    for (;;) {
      const round = status.round + 1;
      // The patient withdrew as the provider's rejection was acted on: the booking is gone already, and
      // a patient who withdrew is never offered again (runs from before this waited on a lapse instead).
      if (withdrawal.value && (lean || has('withdrawal-ends-the-offer-rounds'))) return withdraw(null);
      if (campaignCancelled) return endForCampaign(null, round > 1);
      const offer = round === 1 && firstOffer ? firstOffer : await records.composeTransferOffer({
        transferId: transferId(),
        round,
        fundId: input.fundId,
        period,
        excludeSites: excludedSites,
        maxChoices: settings.maxChoices,
        ...(lean && { opensOffer: true }),
      });
      if (offer.sites.length === 0) {
        if (reoffer) await activities.sendTransferMessage({ transferId: transferId(), intent: `returned-${round}`, kind: 'returned' });
        await moveTo(reoffer ? 'returned' : 'no_choices');
        await report('not_offered');
        return status;
      }
      set({ round, choices: offer.sites });
      response.clear();
      const offeredAt = Date.now();
      const respondBy = new Date(offeredAt + days(settings.responseWindowDays)).toISOString();
      // The offer is open before its message goes, so a patient who follows the link at once finds it
      // open (runs from before this change sent first).
      if (lean) {
        enter('offered');
        await activities.sendTransferMessage({ transferId: transferId(), intent: `offer-${round}`, kind: reoffer ?? 'offer', respondBy });
      } else if (has('offer-open-before-it-is-sent')) {
        await moveTo('offered', { round, choices: offer.sites.length });
        await activities.sendTransferMessage({ transferId: transferId(), intent: `offer-${round}`, kind: reoffer ?? 'offer', respondBy });
      } else {
        await activities.sendTransferMessage({ transferId: transferId(), intent: `offer-${round}`, kind: reoffer ?? 'offer', respondBy });
        await moveTo('offered', { round, choices: offer.sites.length });
      }

      const answered = await awaitResponse(round, offeredAt, respondBy);
      if (!answered) {
        if (campaignCancelled) return endForCampaign(null, true);
        await activities.sendTransferMessage({ transferId: transferId(), intent: `lapse-${round}`, kind: 'lapse' });
        await moveTo('lapsed');
        await report('lapsed');
        return status;
      }
      await requestRecords.recordResponse({ transferId: transferId(), responseKey: `response-${round}`, round, response: answered });
      if (answered.kind === 'decline') {
        await moveTo('declined', { reason: answered.reason ?? null });
        response.recorded();
        await report('declined');
        return status;
      }
      if (campaignCancelled) {
        // The answer came as the campaign was cancelled: it is on record, and the offer is withdrawn.
        response.recorded();
        return endForCampaign(null, true);
      }

      const booked = await bookChoice(answered, round);
      if (booked === 'booked') break;
      if (typeof booked !== 'string') return booked;
      reoffer = booked;
      if (booked === 'provider-rejected') excludedSites.push(answered.siteOds);
    }

    // Booked: the patient may withdraw until the procedure date; the provider records the outcome.
    await condition(() => outcome.value !== undefined || withdrawal.value !== undefined);
    const booking = status.booking!;
    if (withdrawal.value) return withdraw(booking.bookingId);
    const result = outcome.value!;
    await requestRecords.recordOutcome({ transferId: transferId(), bookingId: booking.bookingId, ...result });
    if (result.outcome !== 'treated') {
      // Not treated: the money is released and the patient is back on their trust's list, clock unchanged.
      await activities.releaseFunds({ bookingId: booking.bookingId, reason: result.outcome.replace(/_/g, ' ') });
      await records.returnToList({ transferId: transferId() });
    }
    await moveTo(result.outcome, { procedureCode: result.procedureCode ?? null });
    outcome.recorded();
    return status;
  }

  /**
   * Every way out of the transfer, a failure too: the campaign is told it ended (once), a request the
   * flow will no longer act on is refused, and the handlers still running (a call back recording) finish.
   */
  async function ended(): Promise<void> {
    if (lean || has('transfer-reports-its-end')) {
      await CancellationScope.nonCancellable(() => report(status.round > 0 ? 'withdrawn' : 'not_offered'));
    }
    if (lean || has('transfer-exits-wait-for-handlers')) {
      for (const inbox of [review, response, withdrawal, providerDecision, outcome]) inbox.close(status.state);
      await condition(allHandlersFinished);
    }
  }

  /** Waits for an answer, sending the reminders on their days; undefined when the offer lapses. */
  async function awaitResponse(round: number, offeredAt: number, respondBy: string): Promise<Answer | undefined> {
    const answeredOrCancelled = () => response.value !== undefined || campaignCancelled;
    for (const [index, day] of settings.reminderDays.entries()) {
      if (await condition(answeredOrCancelled, Math.max(0, offeredAt + days(day) - Date.now()))) return response.value;
      await activities.sendTransferMessage({ transferId: transferId(), intent: `reminder-${round}-${index + 1}`, kind: 'reminder', respondBy });
    }
    await condition(answeredOrCancelled, Math.max(0, offeredAt + days(settings.responseWindowDays) - Date.now()));
    return response.value;
  }

  /**
   * The booking saga: hold the slot, commit the money, ask the provider. Each step that succeeded is
   * undone, in reverse, if a later one fails or the patient withdraws.
   */
  async function bookChoice(
    choice: AcceptInput,
    round: number,
  ): Promise<'booked' | TransferStatus | 'slot-taken' | 'provider-rejected'> {
    await moveTo('booking', { siteOds: choice.siteOds });
    consentedOn = dayOf(new Date(choice.at));
    // The acceptance completes once the transfer is booking, so the patient's page shows that, not the offer.
    response.recorded();
    await report('accepted');
    const hold = await activities.holdSlot({ transferId: transferId(), siteOds: choice.siteOds, slotId: choice.slotId, fundId: input.fundId, period });
    if (withdrawal.value) return withdraw(hold.ok ? hold.booking.bookingId : null);
    if (campaignCancelled) return endForCampaign(hold.ok ? hold.booking.bookingId : null, true);
    if (!hold.ok) {
      await records.recordTransferEvent({ transferId: transferId(), kind: 'booking.slot-taken', detail: { siteOds: choice.siteOds, reason: hold.reason } });
      return 'slot-taken';
    }
    set({ booking: hold.booking });
    const bookingId = hold.booking.bookingId;
    const money = await activities.commitFunds({ bookingId });
    if (!money.ok) {
      await activities.releaseSlot({ bookingId, status: 'released', reason: money.reason });
      set({ booking: null });
      await activities.sendTransferMessage({ transferId: transferId(), intent: `returned-${round}`, kind: 'returned' });
      await moveTo('returned', { reason: money.reason });
      return status;
    }
    if (withdrawal.value) return withdraw(bookingId);
    if (campaignCancelled) return endForCampaign(bookingId, true);

    await activities.requestProviderAcceptance({ bookingId });
    await moveTo('awaiting_provider', { bookingId });
    const decided = await condition(
      () => providerDecision.value !== undefined || withdrawal.value !== undefined || campaignCancelled,
      days(settings.providerAnswerDays),
    );
    if (withdrawal.value) return withdraw(bookingId);
    if (campaignCancelled && !providerDecision.value) return endForCampaign(bookingId, true);
    const decision: ProviderDecisionInput = decided
      ? providerDecision.value!
      : { decision: 'reject', reason: 'the provider did not answer in time', providerOds: hold.booking.providerOds, actor: 'system' };
    if (decision.decision === 'reject') {
      await cancelBooking(bookingId, 'rejected', decision.reason ?? 'rejected by the provider', false, decision.actor);
      set({ booking: null });
      providerDecision.recorded();
      providerDecision.clear();
      return 'provider-rejected';
    }
    await activities.confirmBooking({ bookingId, actor: decision.actor });
    acceptedOn = today();
    await moveTo('booked', { bookingId, procedureDate: hold.booking.procedureDate });
    providerDecision.recorded();
    await activities.sendTransferMessage({ transferId: transferId(), intent: 'booking-confirmation', kind: 'booking-confirmation' });
    return 'booked';
  }

  /** The patient withdrew: undo whatever booking there is, confirm by message, keep their place. */
  async function withdraw(bookingId: number | null): Promise<TransferStatus> {
    if (bookingId !== null) await cancelBooking(bookingId, 'cancelled', 'the patient withdrew');
    await requestRecords.recordResponse({ transferId: transferId(), responseKey: 'withdraw', round: status.round, response: { ...withdrawal.value!, kind: 'withdraw' } });
    set({ booking: null });
    await moveTo('withdrawn');
    withdrawal.recorded();
    await activities.sendTransferMessage({ transferId: transferId(), intent: 'withdrawal', kind: 'withdrawal' });
    return status;
  }

  /**
   * The campaign was cancelled before this transfer was booked: any booking is undone, a patient who
   * was offered is told politely, and their place on the list is kept.
   */
  async function endForCampaign(bookingId: number | null, offered: boolean): Promise<TransferStatus> {
    if (bookingId !== null) await cancelBooking(bookingId, 'cancelled', 'the campaign was cancelled');
    set({ booking: null });
    await moveTo('campaign_cancelled');
    if (offered) await activities.sendTransferMessage({ transferId: transferId(), intent: 'campaign-withdrawal', kind: 'campaign-withdrawal' });
    await report('withdrawn');
    return status;
  }

  /** Tells the campaign, once, how this transfer's offer ended; a campaign that has closed no longer listens. */
  async function report(outcome: TransferReport['outcome']): Promise<void> {
    if (input.campaignId === undefined || reported) return;
    reported = true;
    try {
      await getExternalWorkflowHandle(campaignWorkflowId(input.campaignId)).signal(transferReportSignal, { pathwayId: input.pathwayId, outcome });
    } catch {
      // The campaign has closed: nothing is waiting for this word.
    }
  }

  /** Undoes a booking in reverse order: the money first, then the slot; the pathway goes back to its list. A provider's rejection names its actor. */
  async function cancelBooking(bookingId: number, slotStatus: 'cancelled' | 'rejected', reason: string, backToList = true, actor?: string): Promise<void> {
    await activities.releaseFunds({ bookingId, reason });
    await activities.releaseSlot({ bookingId, status: slotStatus, reason, ...(actor ? { actor } : {}) });
    if (backToList) await records.returnToList({ transferId: transferId() });
  }
}

/**
 * One kind of request from a person (a review, an answer, a withdrawal…): the Update handler puts it
 * and waits; the main flow acts on it and marks it recorded, which completes the Update.
 */
class Inbox<T> {
  value: T | undefined;
  private asked = 0;
  private done = 0;

  private closedIn: TransferState | undefined;

  async put(value: T): Promise<void> {
    this.value = value;
    this.asked += 1;
    await this.settled();
  }

  /** Waits for the request put last to be recorded; refused if the transfer ends first. */
  async settled(): Promise<void> {
    const ticket = this.asked;
    await condition(() => this.done >= ticket || this.closedIn !== undefined);
    if (this.done < ticket) refuseTransfer('transfer_ended', `the transfer ended (${this.closedIn}) before this could be acted on`);
  }

  recorded(): void {
    this.done = this.asked;
  }

  clear(): void {
    this.value = undefined;
  }

  /** The transfer is ending in `state`: a request still waiting is refused. */
  close(state: TransferState): void {
    this.closedIn = state;
  }
}
