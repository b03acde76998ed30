/**
 * The clinician's review queue: each candidate with the facts screening used and what every IS site
 * made of them; tick many and confirm them at once, or refuse one with a reason.
 */
import type { ReviewCandidate } from '../../../db/repositories/review-queue';
import type { StaffUser } from '../../../db/schema';
import { formatDate } from '../../../domain/dates';
import { weeksWaited } from '../../../domain/rtt';
import { ageOn, type ClinicalFacts } from '../../../domain/screening';
import type { ReviewResult } from '../../../services/reviews';
import { StaffLayout } from '../staff-layout';

export interface ReviewPageProps {
  readonly staff: StaffUser;
  readonly today: string;
  readonly candidates: readonly ReviewCandidate[];
  /** What the last batch did, shown once after it. */
  readonly outcome?: { readonly confirmed: number; readonly failed: readonly ReviewResult[] };
}

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

export function ReviewPage(props: ReviewPageProps) {
  return (
    <StaffLayout title="Candidates to review" staff={props.staff}>
      {props.outcome ? (
        <div class="nhsuk-inset-text" role="status" data-testid="review-outcome">
          <p>
            {props.outcome.confirmed} confirmed.
            {props.outcome.failed.length ? ` ${props.outcome.failed.length} could not be: ${props.outcome.failed.map((result) => `${result.transferId} (${result.error})`).join('; ')}.` : ''}
          </p>
        </div>
      ) : null}
      <h1>Candidates to review</h1>
      <p>
        Confirm that moving each patient to an independent-sector hospital is clinically appropriate. Nothing is offered to a patient
        until a clinician confirms. Longest waiting first.
      </p>
      {props.candidates.length === 0 ? (
        <p data-testid="queue-empty">No candidates are waiting for review.</p>
      ) : (
        <>
          <form method="post" action="/staff/review/confirm" id="confirm-form">
            <button class="nhsuk-button" type="submit">
              Confirm selected candidates
            </button>
          </form>
          <table class="nhsuk-table" data-testid="review-queue">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Candidates awaiting review</caption>
            <thead class="nhsuk-table__head">
              <tr>
                <th scope="col">Select</th>
                <th scope="col">Patient</th>
                <th scope="col">Waiting for</th>
                <th scope="col">Facts</th>
                <th scope="col">IS sites</th>
                <th scope="col">Refuse</th>
              </tr>
            </thead>
            <tbody class="nhsuk-table__body">
              {props.candidates.map((candidate) => (
                <tr class="nhsuk-table__row" data-testid="candidate">
                  <td class="nhsuk-table__cell">
                    <div class="nhsuk-checkboxes__item">
                      <input
                        class="nhsuk-checkboxes__input"
                        id={`select-${candidate.transferId}`}
                        name="transferIds"
                        type="checkbox"
                        value={String(candidate.transferId)}
                        form="confirm-form"
                      />
                      <label class="nhsuk-label nhsuk-checkboxes__label" for={`select-${candidate.transferId}`}>
                        <span class="nhsuk-u-visually-hidden">Select {candidate.patientName}</span>
                      </label>
                    </div>
                  </td>
                  <td class="nhsuk-table__cell">
                    {candidate.patientName}
                    <br />
                    <span class="nhsuk-body-s">
                      {candidate.pathwayRef} · {candidate.sex}
                    </span>
                    {candidate.earlierTransfers.length ? (
                      <ul class="nhsuk-list nhsuk-body-s nhsuk-u-margin-top-2" data-testid="earlier-transfers">
                        {candidate.earlierTransfers.map((earlier) => (
                          <li>
                            <strong>Earlier transfer {earlier.transferId}:</strong> {earlier.state.replace(/_/g, ' ')} on {formatDate(new Date(earlier.closedAt))}
                            {earlier.reason ? ` (${earlier.reason})` : ''}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                  <td class="nhsuk-table__cell">
                    {weeksWaited(candidate.clockStartDate, props.today)} weeks
                    <br />
                    <span class="nhsuk-body-s">
                      {candidate.treatmentFunction}
                      {candidate.procedure ? `: ${candidate.procedure}` : ''}
                    </span>
                  </td>
                  <td class="nhsuk-table__cell">
                    <ul class="nhsuk-list nhsuk-body-s">
                      {factLines(candidate.facts, props.today).map((line) => (
                        <li>{line}</li>
                      ))}
                    </ul>
                  </td>
                  <td class="nhsuk-table__cell">
                    <ul class="nhsuk-list nhsuk-body-s">
                      {candidate.sites.map((site) => (
                        <li>
                          {site.passes ? 'Passes' : 'Fails'} {site.siteName}
                          {site.passes ? '' : `: ${site.exclusions.map((exclusion) => `patient ${exclusion.reason}`).join('; ')}`}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td class="nhsuk-table__cell">
                    <form method="post" action={`/staff/review/${candidate.transferId}/refuse`}>
                      <label class="nhsuk-label nhsuk-body-s" for={`reason-${candidate.transferId}`}>
                        Reason
                      </label>
                      <input class="nhsuk-input" id={`reason-${candidate.transferId}`} name="reason" required maxlength={500} />
                      <button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-top-2" type="submit">
                        Refuse
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
