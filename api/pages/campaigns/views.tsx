/**
 * Campaign pages for regional teams and finance: the list of campaigns, each campaign's dashboard (its
 * funnel as a chart and a table, by trust and specialty in two tables that fit the page, its money and
 * the IS capacity of its period, and the changes its state allows) and its equity report (rates by
 * deprivation, age, sex and ethnicity, with flags in words).
 *
 * The dashboard is complete without JavaScript, and says to reload it for the latest figures; with
 * it, its script (./dashboard.ts, served from the same origin, as the pages' content security policy
 * requires) reads the funnel's JSON every few seconds and puts the new numbers in place, so a regional
 * team can watch a launch without reloading, and only once it has says that the figures update.
 */
import type { CampaignStatus, StaffUser } from '../../../db/schema';
import { formatDate, formatDateTime } from '../../../domain/dates';
import { formatPence } from '../../../domain/money';
import type { CampaignFunnel } from '../../../reports/campaign-funnel';
import {
  CHANNEL_STAGE_LABELS,
  CHANNEL_STAGES,
  FUNNEL_STAGE_LABELS,
  FUNNEL_STAGES,
  type FunnelCounts,
  type FunnelStage,
} from '../../../reports/funnel-stages';
import { CHANNEL_LABELS, PATIENT_CHANNELS } from '../../../domain/channels';
import { type EquityDimension, type EquityReport, flagText, type GroupRate, percentText, type RateReading } from '../../../reports/equity';
import { CAMPAIGN_CONTROLS, type CampaignAction } from '../../../domain/campaign-control';
import type { Campaign } from '../../../services/campaigns';
import type { CampaignProgress } from '../../../workflows/messages';
import { HorizontalBarChart } from '../charts';
import { StaffLayout } from '../staff-layout';
import { AS_OF_FORMAT } from './as-of';
import { Cell, SummaryRow, TableHead } from '../table';
import { NotificationBanner } from '../forms';
import { formatCount } from '../../../domain/text';
import { CONTROL_WORDS, LAUNCH_PATH } from './launch';
import { slotShareText } from './figures';

/** How often the dashboard asks for new figures. */
export const DASHBOARD_REFRESH_MS = 5_000;

const STATUS_TAGS: Record<CampaignStatus, { text: string; colour: string }> = {
  running: { text: 'Running', colour: 'blue' },
  paused: { text: 'Paused', colour: 'yellow' },
  cancelled: { text: 'Cancelled', colour: 'red' },
  completed: { text: 'Completed', colour: 'green' },
};

function StatusTag(props: { status: CampaignStatus }) {
  const tag = STATUS_TAGS[props.status];
  return <strong class={`nhsuk-tag nhsuk-tag--${tag.colour}`}>{tag.text}</strong>;
}

const periodOf = (campaign: Campaign) => `${formatDate(campaign.period.from)} to ${formatDate(campaign.period.to)}`;

export function CampaignsPage(props: { staff: StaffUser; campaigns: readonly Campaign[]; canLaunch: boolean }) {
  return (
    <StaffLayout title="Campaigns" staff={props.staff}>
      <h1>Campaigns</h1>
      <p>Each campaign's offers, bookings and treatments as they happen, what it has committed and claimed, and who it is reaching.</p>
      {props.canLaunch ? (
        <a class="nhsuk-button" href={LAUNCH_PATH} data-testid="launch-campaign">
          Launch a campaign
        </a>
      ) : null}
      {props.campaigns.length === 0 ? (
        <p data-testid="no-campaigns">There are no campaigns in your area yet.</p>
      ) : (
        <table class="nhsuk-table nhsuk-table--responsive" role="table" data-testid="campaigns-table">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Campaigns, newest first</caption>
          <TableHead columns={[{ text: 'Campaign' }, { text: 'Status' }, { text: 'Offers for' }, { text: 'Trusts and specialties' }, { text: 'Launched' }]} />
          <tbody class="nhsuk-table__body">
            {props.campaigns.map((campaign) => (
              <tr class="nhsuk-table__row" role="row" data-testid="campaign">
                <Cell heading="Campaign">
                  <a href={`/staff/campaigns/${campaign.id}`}>{campaign.name}</a>
                  <br />
                  <span class="nhsuk-body-s nhsuk-u-secondary-text-color">Region {campaign.regionCode}</span>
                </Cell>
                <Cell heading="Status">
                  <StatusTag status={campaign.status} />
                </Cell>
                <Cell heading="Offers for">{periodOf(campaign)}</Cell>
                <Cell heading="Trusts and specialties">
                  {campaign.trusts.join(', ')}; {campaign.treatmentFunctions.join(', ')}
                </Cell>
                <Cell heading="Launched">{formatDate(new Date(campaign.launchedAt))}</Cell>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </StaffLayout>
  );
}

function CampaignHeading(props: { campaign: Campaign; caption: string }) {
  const { campaign } = props;
  return (
    <>
      <h1>
        <span class="nhsuk-caption-l">{props.caption}</span>
        {campaign.name}
      </h1>
      <p>
        <StatusTag status={campaign.status} /> Region {campaign.regionCode}. Offers for {periodOf(campaign)}, trusts {campaign.trusts.join(', ')}, treatment
        functions {campaign.treatmentFunctions.join(', ')}, at most {formatCount(campaign.maxOffers)} offers, paid from{' '}
        <a href={`/staff/funds/${campaign.fundId}`}>fund {campaign.fundId}</a>. Launched {formatDateTime(new Date(campaign.launchedAt))}
        {campaign.closedAt ? `, closed ${formatDateTime(new Date(campaign.closedAt))}` : ''}.
      </p>
    </>
  );
}

/** Where the campaign stands against its maximum of offers, when its workflow answered. */
function OfferLimit(props: { campaign: Campaign; progress: CampaignProgress | null }) {
  const { campaign, progress } = props;
  if (!progress) return <p data-testid="campaign-limit">The campaign's workflow did not answer: how many offers it has made is not known just now.</p>;
  const offered = progress.accepted + progress.declined + progress.lapsed;
  const maximum = formatCount(campaign.maxOffers);
  const said = `${formatCount(offered)} patients were offered and have answered or let the offer lapse; ${formatCount(progress.outstanding)} transfers are still open and may yet offer.`;
  if (!progress.limitReached) return <p data-testid="campaign-limit">{said} The campaign goes on until it has made {maximum} offers or run out of patients.</p>;
  const stopped =
    progress.phase === 'completed'
      ? `The campaign stopped because it reached its maximum of ${maximum} offers.`
      : `The campaign has reached its maximum of ${maximum} offers: it starts nobody more unless an open transfer ends without an offer.`;
  return (
    <div class="nhsuk-inset-text" data-testid="campaign-limit">
      <span class="nhsuk-u-visually-hidden">Information: </span>
      <p>
        <strong>{stopped}</strong> {said}
      </p>
    </div>
  );
}

/** What the dashboard confirms: the launch, or a change made from its check step. */
export type Done = 'launched' | CampaignAction;

function DoneBanner(props: { done: Done }) {
  if (props.done === 'launched') {
    return (
      <NotificationBanner id="success-banner" success heading="Campaign launched">
        <p class="nhsuk-body">Clinicians are asked to confirm its patients, and offers go out as they do. This page shows how it goes.</p>
      </NotificationBanner>
    );
  }
  return (
    <NotificationBanner id="success-banner" success heading={`Campaign ${CAMPAIGN_CONTROLS[props.done].done}`}>
      <p class="nhsuk-body">{CONTROL_WORDS[props.done].done}</p>
    </NotificationBanner>
  );
}

/** The changes the campaign's state allows, each a button to its check step. */
function CampaignActions(props: { campaign: Campaign; actions: readonly CampaignAction[] }) {
  if (props.actions.length === 0) return null;
  return (
    <div class="nhsuk-button-group" data-testid="campaign-actions">
      {props.actions.map((action) => (
        <a
          class={`nhsuk-button ${action === 'cancel' ? 'nhsuk-button--warning' : 'nhsuk-button--secondary'} nhsuk-u-margin-right-3`}
          href={`/staff/campaigns/${props.campaign.id}/${action}`}
          data-testid={`campaign-${action}`}
        >
          {CONTROL_WORDS[action].button}
        </a>
      ))}
    </div>
  );
}

export interface CampaignDashboardPageProps {
  readonly staff: StaffUser;
  readonly campaign: Campaign;
  readonly funnel: CampaignFunnel;
  readonly progress: CampaignProgress | null;
  /** The changes this user may make to the campaign as it stands. */
  readonly actions: readonly CampaignAction[];
  readonly done?: Done | undefined;
}

/** The by-trust table's stages, in two tables that fit the page: how far patients went, and where they left. */
const GROUP_TABLES = [
  {
    id: 'funnel-groups',
    caption: 'How far patients have gone, by trust and specialty. Eligible here is the transfers started.',
    stages: ['eligible', 'approved', 'offered', 'accepted', 'booked', 'treated', 'claimed'],
  },
  {
    id: 'funnel-exits',
    caption: 'Where patients left the campaign or wait, by trust and specialty.',
    stages: ['screenedOut', 'awaitingReview', 'declined', 'lapsed', 'withdrawn'],
  },
] as const satisfies readonly { id: string; caption: string; stages: readonly FunnelStage[] }[];

export function CampaignDashboardPage(props: CampaignDashboardPageProps) {
  const { campaign, funnel } = props;
  const base = `/staff/campaigns/${campaign.id}`;
  return (
    <StaffLayout title={campaign.name} staff={props.staff}>
      <a class="nhsuk-back-link" href="/staff/campaigns">
        Campaigns
      </a>
      {props.done ? <DoneBanner done={props.done} /> : null}
      <div id="campaign-dashboard" data-funnel-url={`${base}/funnel.json`} data-refresh-ms={String(DASHBOARD_REFRESH_MS)}>
        <CampaignHeading campaign={campaign} caption="Campaign dashboard" />
        <CampaignActions campaign={campaign} actions={props.actions} />
        <ul class="nhsuk-list">
          <li>
            <a href={`${base}/equity`}>Who the campaign is reaching: the equity report</a>
          </li>
          <li>
            <a href={`${base}/funnel.csv`} download>
              Download the funnel by trust and specialty (CSV)
            </a>
          </li>
        </ul>
        <p class="nhsuk-body-s" data-testid="funnel-as-of">
          Figures as of <span data-live="asOf">{funnel.asOf.toLocaleString('en-GB', AS_OF_FORMAT)}</span>.{' '}
          <span data-live-note>Reload the page for the latest figures.</span>
        </p>

        <OfferLimit campaign={campaign} progress={props.progress} />

        <h2>The funnel</h2>
        <p>
          {formatCount(funnel.started)} of the {formatCount(funnel.totals.eligible)} patients eligible at launch have had a transfer started so far. Each number
          counts the patients who reached that stage, so a treated patient is also counted as approved, offered, accepted and booked.
        </p>
        <HorizontalBarChart
          title="Patients at each stage of the campaign"
          live="funnel"
          bars={FUNNEL_STAGES.map((stage) => ({ key: stage, label: FUNNEL_STAGE_LABELS[stage].label, value: funnel.totals[stage], text: formatCount(funnel.totals[stage]) }))}
        />
        <table class="nhsuk-table" role="table" data-testid="funnel-table">
          <caption class="nhsuk-table__caption nhsuk-table__caption--s">Patients at each stage, and what each stage counts</caption>
          <TableHead columns={[{ text: 'Stage' }, { text: 'Patients', numeric: true }, { text: 'What it counts' }]} />
          <tbody class="nhsuk-table__body">
            {FUNNEL_STAGES.map((stage) => (
              <tr class="nhsuk-table__row" role="row">
                <th scope="row" class="nhsuk-table__header">
                  {FUNNEL_STAGE_LABELS[stage].label}
                </th>
                <td class="nhsuk-table__cell nhsuk-table__cell--numeric" data-live={`totals.${stage}`} data-testid={`funnel-${stage}`}>
                  {formatCount(funnel.totals[stage])}
                </td>
                <td class="nhsuk-table__cell nhsuk-u-font-size-16">{FUNNEL_STAGE_LABELS[stage].means}</td>
              </tr>
            ))}
          </tbody>
        </table>

        <h2>By how the offer reached patients</h2>
        <table class="nhsuk-table" role="table" data-testid="funnel-channels">
          <caption class="nhsuk-table__caption nhsuk-table__caption--s">
            Patients offered, who answered (accepted or declined) and who accepted, by how their first offer was sent
          </caption>
          <TableHead columns={[{ text: 'Sent by' }, ...CHANNEL_STAGES.map((stage) => ({ text: CHANNEL_STAGE_LABELS[stage], numeric: true }))]} />
          <tbody class="nhsuk-table__body">
            {PATIENT_CHANNELS.map((channel) => (
              <tr class="nhsuk-table__row" role="row" data-channel={channel}>
                <th scope="row" class="nhsuk-table__header">
                  {CHANNEL_LABELS[channel]}
                </th>
                {CHANNEL_STAGES.map((stage) => (
                  <td class="nhsuk-table__cell nhsuk-table__cell--numeric" data-live={`byChannel.${channel}.${stage}`}>
                    {formatCount(funnel.byChannel[channel][stage])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>

        <h2>Money and capacity</h2>
        <dl class="nhsuk-summary-list" data-testid="campaign-money">
          <SummaryRow label="Committed to booked procedures" live="money.committedPence">{formatPence(funnel.money.committedPence)}</SummaryRow>
          <SummaryRow label="Claimed for treated patients" live="money.claimedPence">{formatPence(funnel.money.claimedPence)}</SummaryRow>
          <SummaryRow label="IS slots in the period, in the campaign's specialties" live="capacity.slotsInPeriod">{formatCount(funnel.capacity.slotsInPeriod)}</SummaryRow>
          <SummaryRow label="Of which booked by this campaign's patients" live="capacity.slotsBooked">{formatCount(funnel.capacity.slotsBooked)}</SummaryRow>
          <SummaryRow label="Share of the slots booked" live="capacity.share">{slotShareText(funnel.capacity.slotsBooked, funnel.capacity.slotsInPeriod)}</SummaryRow>
        </dl>

        <h2>By trust and specialty</h2>
        <p id="groups-empty" hidden={funnel.byTrustAndSpecialty.length > 0}>
          No transfers have been started yet.
        </p>
        {GROUP_TABLES.map((table) => (
          <table class="nhsuk-table nhsuk-table--responsive" role="table" data-testid={table.id} hidden={funnel.byTrustAndSpecialty.length === 0}>
            <caption class="nhsuk-table__caption nhsuk-table__caption--s">{table.caption}</caption>
            <TableHead columns={[{ text: 'Trust' }, { text: 'Specialty' }, ...table.stages.map((stage) => ({ text: FUNNEL_STAGE_LABELS[stage].label, numeric: true }))]} />
            <tbody class="nhsuk-table__body" data-live-groups={table.stages.join(' ')}>
              {funnel.byTrustAndSpecialty.map((group) => (
                <tr class="nhsuk-table__row" role="row" data-testid="funnel-group">
                  <Cell heading="Trust">{`${group.trustName} (${group.trustOds})`}</Cell>
                  <Cell heading="Specialty">{`${group.treatmentFunctionName} (${group.treatmentFunctionCode})`}</Cell>
                  <StageCells counts={group} stages={table.stages} />
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <script src="/staff/campaigns/dashboard.js" defer></script>
    </StaffLayout>
  );
}

function StageCells(props: { counts: FunnelCounts; stages: readonly FunnelStage[] }) {
  return (
    <>
      {props.stages.map((stage) => (
        <Cell heading={FUNNEL_STAGE_LABELS[stage].label} numeric>
          {formatCount(props.counts[stage])}
        </Cell>
      ))}
    </>
  );
}

/**
 * Keeps the dashboard's numbers current: every few seconds it reads the funnel's JSON (with the
 * page's own sign-in cookie) and writes the numbers into the elements marked data-live, redraws the
 * funnel chart's bars and rebuilds the table by trust and specialty with the same markup the server
 * renders. Text only (textContent, createElement): nothing from the response is parsed as HTML. If a
 * read fails (signed out, server away) it says so and tries again on the next tick.
 */
export function CampaignEquityPage(props: { staff: StaffUser; campaign: Campaign; report: EquityReport }) {
  const { campaign, report } = props;
  const base = `/staff/campaigns/${campaign.id}`;
  const flagged = report.dimensions.flatMap((dimension) =>
    dimension.groups.flatMap((group) =>
      (['acceptance', 'treatment'] as const).filter((rate) => group[rate].flag).map((rate) => ({ dimension, group, rate, reading: group[rate] })),
    ),
  );
  return (
    <StaffLayout title={`Equity: ${campaign.name}`} staff={props.staff}>
      <a class="nhsuk-back-link" href={base}>
        Campaign dashboard
      </a>
      <CampaignHeading campaign={campaign} caption="Equity report" />
      <p>
        Who the campaign's offers reach, and who takes them up: outsourcing has historically favoured patients from less deprived areas. For each
        group, the <strong>acceptance rate</strong> is the share of patients offered a transfer who accepted it, and the{' '}
        <strong>treatment rate</strong> the share of those who accepted who have been treated so far (low while patients still wait for their
        date). A group is flagged when its rate is more than {report.marginPoints} percentage points above or below the campaign's. Groups with
        fewer than {report.minDenominator} patients offered (or accepted) are too few to say. Ages are counted on {formatDate(report.agesOn)}, the
        day of launch; deprivation is the IMD quintile of the patient's neighbourhood (LSOA), 1 the most deprived.
      </p>
      <ul class="nhsuk-list">
        <li>
          <a href={`${base}/equity.csv`} download>
            Download the equity report (CSV)
          </a>
        </li>
        <li>
          <a href={`${base}/funnel.csv`} download>
            Download the funnel by trust and specialty (CSV)
          </a>
        </li>
      </ul>

      <dl class="nhsuk-summary-list" data-testid="campaign-rates">
        <SummaryRow label="Campaign's acceptance rate">{rateSentence(report.campaign.acceptance, 'offered', 'accepted')}</SummaryRow>
        <SummaryRow label="Campaign's treatment rate">{rateSentence(report.campaign.treatment, 'accepted', 'treated')}</SummaryRow>
      </dl>

      <div class={flagged.length ? 'nhsuk-warning-callout' : 'nhsuk-inset-text'} data-testid="equity-flags">
        {flagged.length ? (
          <>
            <h2 class="nhsuk-warning-callout__label">
              <span role="text">
                <span class="nhsuk-u-visually-hidden">Important: </span>
                {flagged.length === 1 ? '1 rate diverges' : `${flagged.length} rates diverge`} from the campaign's
              </span>
            </h2>
            <ul>
              {flagged.map(({ dimension, group, rate, reading }) => (
                <li data-testid="equity-flag">
                  {dimension.label}, {group.label}: {rate} rate {percentText(reading)}%, {Math.abs(reading.differencePoints!).toFixed(1)} points {reading.flag} the
                  campaign's.
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>No group's rate is more than {report.marginPoints} points from the campaign's, among the groups large enough to say.</p>
        )}
      </div>

      {report.dimensions.map((dimension) => (
        <EquityDimensionSection dimension={dimension} report={report} />
      ))}
    </StaffLayout>
  );
}

/** The campaign's rate after "the campaign's", or that there is none yet: never a bare "–%". */
const campaignRateText = (reading: RateReading, of: string) => (reading.rate === null ? `is not known yet: no one ${of} yet` : `is ${percentText(reading)}%`);

function rateSentence(reading: { numerator: number; denominator: number; rate: number | null }, of: string, did: string) {
  return reading.rate === null ? `No one ${of} yet` : `${percentText(reading)}% (${formatCount(reading.numerator)} ${did} of ${formatCount(reading.denominator)} ${of})`;
}

/** A rate's bar text: the rate, and in words whether it is flagged or too few to judge. */
function barText(reading: GroupRate, report: EquityReport, denominator: string) {
  if (reading.rate === null) return `no one ${denominator}`;
  const rate = `${percentText(reading)}%`;
  if (!reading.judged) return `${rate} (too few to say)`;
  return reading.flag ? `${rate}, flagged: ${Math.abs(reading.differencePoints!).toFixed(1)} points ${reading.flag}` : rate;
}

function EquityDimensionSection(props: { dimension: EquityDimension; report: EquityReport }) {
  const { dimension, report } = props;
  const id = dimension.dimension;
  return (
    <section data-testid={`equity-${id}`}>
      <h2>{dimension.label}</h2>
      {(['acceptance', 'treatment'] as const).map((rate) => (
        <HorizontalBarChart
          title={`${rate === 'acceptance' ? 'Acceptance' : 'Treatment'} rate, ${dimension.label}; the campaign's ${campaignRateText(report.campaign[rate], rate === 'acceptance' ? 'offered' : 'accepted')}`}
          max={100}
          valueWidth={230}
          bars={dimension.groups.map((group) => ({
            label: group.label,
            value: (group[rate].rate ?? 0) * 100,
            text: barText(group[rate], report, rate === 'acceptance' ? 'offered' : 'accepted'),
            highlight: group[rate].flag !== null,
          }))}
        />
      ))}
      <table class="nhsuk-table nhsuk-table--responsive" role="table">
        <caption class="nhsuk-table__caption nhsuk-table__caption--s">{dimension.label}: the funnel's main stages and both rates</caption>
        <TableHead
          columns={[
            { text: 'Group' },
            { text: 'Eligible', numeric: true },
            { text: 'Offered', numeric: true },
            { text: 'Accepted', numeric: true },
            { text: 'Acceptance rate' },
            { text: 'Treated', numeric: true },
            { text: 'Treatment rate' },
          ]}
        />
        <tbody class="nhsuk-table__body">
          {dimension.groups.map((group) => (
            <tr class="nhsuk-table__row" role="row" data-testid="equity-group" data-group={group.key}>
              <Cell heading="Group">{group.label}</Cell>
              <Cell heading="Eligible" numeric>
                {formatCount(group.counts.eligible)}
              </Cell>
              <Cell heading="Offered" numeric>
                {formatCount(group.counts.offered)}
              </Cell>
              <Cell heading="Accepted" numeric>
                {formatCount(group.counts.accepted)}
              </Cell>
              <Cell heading="Acceptance rate">
                <RateCell reading={group.acceptance} report={report} denominator="offered" />
              </Cell>
              <Cell heading="Treated" numeric>
                {formatCount(group.counts.treated)}
              </Cell>
              <Cell heading="Treatment rate">
                <RateCell reading={group.treatment} report={report} denominator="accepted" />
              </Cell>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RateCell(props: { reading: GroupRate; report: EquityReport; denominator: string }) {
  const { reading } = props;
  const words = flagText(reading, props.report, props.denominator);
  return (
    <>
      {reading.rate === null ? null : <span>{percentText(reading)}% </span>}
      {reading.flag ? (
        <strong data-testid="rate-flag">
          Flagged: {Math.abs(reading.differencePoints!).toFixed(1)} points {reading.flag} the campaign
        </strong>
      ) : (
        <span class="nhsuk-body-s nhsuk-u-secondary-text-color">{reading.rate === null ? words.replace(/^no/, 'No') : `(${words})`}</span>
      )}
    </>
  );
}
