/**
 * The clinician's review queue: each candidate with the facts screening used, how many IS sites can
 * take them and why the others cannot, and how the pathway's earlier transfers ended; tick many and
 * confirm them at once, or refuse one with a reason. After a decision, what it did, read back from
 * the transfers as they stand.
 */
import type { ReviewCandidate, ReviewedTransfer } from '../../../db/repositories/review-queue';
import type { StaffUser } from '../../../db/schema';
import { formatDate } from '../../../domain/dates';
import { weeksWaited } from '../../../domain/rtt';
import { ageOn, type ClinicalFacts } from '../../../domain/screening';
import { pluralise } from '../../../domain/text';
import { TRANSFER_STATE_WORDS } from '../../../domain/transfer';
import { staffActor } from '../../../services/access';
import { ErrorSummary, type FieldError, FieldErrorMessage, NotificationBanner, ReasonField } from '../forms';
import { StaffLayout } from '../staff-layout';

/** The clinician's last decision: which transfers it went to, and those transfers as they stand now. */
export interface ReviewDecided {
  readonly decision: 'confirmed' | 'refused';
  readonly transferIds: readonly number[];
  readonly transfers: readonly ReviewedTransfer[];
}

export interface ReviewPageProps {
  readonly staff: StaffUser;
  readonly today: string;
  readonly candidates: readonly ReviewCandidate[];
  readonly errors?: readonly FieldError[];
  /** A refusal that was not taken, as it was sent: its words stay in its field. */
  readonly submitted?: { readonly transferId: number; readonly reason: string };
  readonly decided?: ReviewDecided;
}

/** The id of a candidate's tick box: "Select at least one" points at the first. */
export const selectId = (transferId: number) => `select-${transferId}`;
/** The id of a candidate's refusal reason. */
export const reasonId = (transferId: number) => `reason-${transferId}`;

/** The facts a clinician needs to see, in words; unremarkable ones are left out. */
function factLines(facts: ClinicalFacts, today: string): string[] {
  const lines = [`Age ${ageOn(facts.dateOfBirth, today)}`, facts.bmi === null ? 'BMI not recorded' : `BMI ${facts.bmi}`];
  if (facts.lastHeartAttackOn) lines.push(`Heart attack ${formatDate(facts.lastHeartAttackOn)}`);
  if (facts.lastStrokeOn) lines.push(`Stroke or TIA ${formatDate(facts.lastStrokeOn)}`);
  if (facts.needsCriticalCare) lines.push('Needs level 2/3 critical care');
  if (facts.onDialysis) lines.push('On dialysis');
  if (facts.diabetes !== 'none') lines.push(`Diabetes (${facts.diabetes})`);
  if (facts.hypertension !== 'none') lines.push(`Hypertension (${facts.hypertension})`);
  if (facts.anticoagulated) lines.push('Anticoagulated');
  if (facts.sickleCell) lines.push('Sickle cell disease');
  if (facts.psychiatricUnstable) lines.push('Unstable psychiatric condition');
  return lines;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Names as a sentence writes them: "A", "A and B", "A, B and C". */
function inWords(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Each reason screening gave, with the sites it stopped the patient at, in the order they were first met. */
function failuresByReason(sites: ReviewCandidate['sites']): { reason: string; siteNames: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const site of sites) {
    if (site.passes) continue;
    for (const exclusion of site.exclusions) {
      const siteNames = groups.get(exclusion.reason) ?? [];
      if (!siteNames.includes(site.siteName)) siteNames.push(site.siteName);
      groups.set(exclusion.reason, siteNames);
    }
  }
  return [...groups].map(([reason, siteNames]) => ({ reason, siteNames }));
}

function SiteResults(props: { sites: ReviewCandidate['sites'] }) {
  const passing = props.sites.filter((site) => site.passes).length;
  const failing = props.sites.length - passing;
  return (
    <>
      <p class="nhsuk-body-s nhsuk-u-margin-bottom-2" data-testid="site-count">
        <strong>{passing === 0 ? 'No IS site can take this patient' : `${passing} of ${pluralise(props.sites.length, 'IS site')} can take this patient`}</strong>
      </p>
      {failing ? (
        <>
          <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">Cannot go to {passing === 0 ? 'any of them' : pluralise(failing, 'site')}:</p>
          <ul class="nhsuk-list nhsuk-list--bullet nhsuk-body-s" data-testid="failing-sites">
            {failuresByReason(props.sites).map((group) => (
              <li>
                {capitalised(group.reason)} ({inWords(group.siteNames)})
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/**
 * Why a transfer the clinician chose was not reviewed by them, from how it stands now; `otherwise` when
 * it is still awaiting review (the change did not reach it in time, say).
 */
export function whyNotReviewed(transfer: ReviewedTransfer | undefined, reviewer: string, otherwise: string): string {
  if (!transfer) return "it is not one of your trust's transfers";
  if (transfer.review) return `it was ${transfer.review.decision} already, ${transfer.review.reviewer === reviewer ? 'by you' : 'by another clinician'}`;
  if (transfer.state !== 'awaiting_review') return `it is no longer awaiting review (${TRANSFER_STATE_WORDS[transfer.state]})`;
  return otherwise;
}

/** What the last decision did: only what the transfers, as they stand, say this clinician did. */
function DecisionBanners(props: { decided: ReviewDecided; reviewer: string }) {
  const { decided, reviewer } = props;
  const byId = new Map(decided.transfers.map((transfer) => [transfer.transferId, transfer]));
  const mine = (transfer: ReviewedTransfer | undefined): transfer is ReviewedTransfer & { review: NonNullable<ReviewedTransfer['review']> } =>
    transfer?.review?.decision === decided.decision && transfer.review.reviewer === reviewer;
  if (decided.decision === 'refused') {
    const transfer = byId.get(decided.transferIds[0]!);
    if (!mine(transfer)) return null;
    return (
      <NotificationBanner id="review-outcome" success heading={`Refused ${transfer.patientName}`}>
        <p>Reason: {transfer.review.reason}</p>
        <p>They will not be offered this transfer, and they keep their place on your waiting list.</p>
      </NotificationBanner>
    );
  }
  const confirmed = decided.transferIds.map((id) => byId.get(id)).filter(mine);
  const notConfirmed = decided.transferIds.filter((id) => !mine(byId.get(id)));
  return (
    <>
      {confirmed.length ? (
        <NotificationBanner
          id="review-outcome"
          success
          heading={confirmed.length === 1 ? `Confirmed ${confirmed[0]!.patientName}` : `Confirmed ${pluralise(confirmed.length, 'candidate')}`}
        >
          {confirmed.length > 1 ? <p>{inWords(confirmed.map((transfer) => transfer.patientName))}.</p> : null}
          <p>
            {confirmed.length === 1 ? 'The patient' : 'Each patient'} will be offered the IS sites that can take them, if those sites have dates
            free.
          </p>
        </NotificationBanner>
      ) : null}
      {notConfirmed.length ? (
        <NotificationBanner id="review-not-confirmed" heading={`${pluralise(notConfirmed.length, 'candidate was', 'candidates were')} not confirmed`}>
          <ul class="nhsuk-list">
            {notConfirmed.map((id) => {
              const transfer = byId.get(id);
              return (
                <li>
                  {transfer?.patientName ?? `Transfer ${id}`}: {whyNotReviewed(transfer, reviewer, 'it is still awaiting review: select it and confirm again')}
                </li>
              );
            })}
          </ul>
        </NotificationBanner>
      ) : null}
    </>
  );
}

function EarlierTransfers(props: { transfers: ReviewCandidate['earlierTransfers'] }) {
  if (props.transfers.length === 0) return null;
  return (
    <ul class="nhsuk-list nhsuk-body-s nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0" data-testid="earlier-transfers">
      {props.transfers.map((earlier) => (
        <li>
          <strong>Earlier transfer {earlier.transferId}</strong>, ended {formatDate(new Date(earlier.closedAt))}: {TRANSFER_STATE_WORDS[earlier.state]}
          {earlier.reason ? ` (${earlier.reason})` : ''}
        </li>
      ))}
    </ul>
  );
}

export function ReviewPage(props: ReviewPageProps) {
  const errors = props.errors ?? [];
  const first = props.candidates[0];
  const noneSelected = first !== undefined && errors.some((error) => error.field === selectId(first.transferId));
  return (
    <StaffLayout title={errors.length ? 'Error: Candidates to review' : 'Candidates to review'} staff={props.staff}>
      <ErrorSummary errors={errors} />
      {props.decided ? <DecisionBanners decided={props.decided} reviewer={staffActor(props.staff)} /> : null}
      <h1>Candidates to review</h1>
      <p>
        Confirm that moving each patient to an independent-sector hospital is clinically appropriate. Nothing is offered to a patient
        until a clinician confirms. Longest waiting first.
      </p>
      {first === undefined ? (
        <p data-testid="queue-empty">No candidates are waiting for review.</p>
      ) : (
        <>
          <form method="post" action="/staff/review/confirm" id="confirm-form" novalidate>
            <div class={`nhsuk-form-group${noneSelected ? ' nhsuk-form-group--error' : ''}`}>
              <p class="nhsuk-body-s nhsuk-u-margin-bottom-2">
                {pluralise(props.candidates.length, 'candidate')} waiting. Select those you confirm, then confirm them together.
              </p>
              <FieldErrorMessage id={selectId(first.transferId)} errors={errors} />
              <button class="nhsuk-button nhsuk-u-margin-bottom-0" type="submit">
                Confirm selected candidates
              </button>
            </div>
          </form>
          <table class="nhsuk-table" data-testid="review-queue">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Candidates awaiting review</caption>
            <thead class="nhsuk-table__head">
              <tr>
                <th scope="col">Select</th>
                <th scope="col">Patient</th>
                <th scope="col">Facts</th>
                <th scope="col">IS sites</th>
                <th scope="col">Refuse</th>
              </tr>
            </thead>
            <tbody class="nhsuk-table__body">
              {props.candidates.map((candidate) => (
                <tr class="nhsuk-table__row" id={`candidate-${candidate.transferId}`} data-testid="candidate">
                  <td class="nhsuk-table__cell">
                    <div class="nhsuk-checkboxes__item">
                      <input
                        class="nhsuk-checkboxes__input"
                        id={selectId(candidate.transferId)}
                        name="transferIds"
                        type="checkbox"
                        value={String(candidate.transferId)}
                        form="confirm-form"
                      />
                      <label class="nhsuk-label nhsuk-checkboxes__label" for={selectId(candidate.transferId)}>
                        <span class="nhsuk-u-visually-hidden">Select {candidate.patientName}</span>
                      </label>
                    </div>
                  </td>
                  <td class="nhsuk-table__cell">
                    <strong>{candidate.patientName}</strong>
                    <br />
                    <span class="nhsuk-body-s">
                      {candidate.pathwayRef} · {capitalised(candidate.sex)}
                    </span>
                    <p class="nhsuk-body-s nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0" data-testid="waited">
                      Waiting {pluralise(weeksWaited(candidate.clockStartDate, props.today), 'week')}: {candidate.treatmentFunction}
                      {candidate.procedure ? `, ${candidate.procedure}` : ''}
                    </p>
                    <EarlierTransfers transfers={candidate.earlierTransfers} />
                  </td>
                  <td class="nhsuk-table__cell">
                    <ul class="nhsuk-list nhsuk-body-s">
                      {factLines(candidate.facts, props.today).map((line) => (
                        <li>{line}</li>
                      ))}
                    </ul>
                  </td>
                  <td class="nhsuk-table__cell">
                    <SiteResults sites={candidate.sites} />
                  </td>
                  <td class="nhsuk-table__cell">
                    <form method="post" action={`/staff/review/${candidate.transferId}/refuse`} novalidate>
                      <ReasonField
                        id={reasonId(candidate.transferId)}
                        label={
                          <>
                            Reason for refusing<span class="nhsuk-u-visually-hidden"> {candidate.patientName}</span>
                          </>
                        }
                        value={props.submitted?.transferId === candidate.transferId ? props.submitted.reason : undefined}
                        errors={errors}
                      />
                      <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit">
                        Refuse<span class="nhsuk-u-visually-hidden"> {candidate.patientName}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </StaffLayout>
  );
}
