/**
 * The campaign dashboard's browser script. The page is complete without it; with it, the dashboard
 * reads its funnel's JSON every few seconds and puts the new numbers in place, so a regional team can
 * watch a launch without reloading. Bundled for the browser by ./dashboard-script.ts and served from
 * the same origin, as the pages' content security policy requires.
 */
import type { CampaignFunnel } from '../../../reports/campaign-funnel';
import { PATIENT_CHANNELS } from '../../../domain/channels';
import { CHANNEL_STAGES, FUNNEL_STAGES, type FunnelCounts, type FunnelStage } from '../../../reports/funnel-stages';
import { AS_OF_FORMAT } from './as-of';
import { slotShareText } from './figures';

/** The funnel as funnel.json sends it: its time as an ISO string. */
type FunnelJson = Omit<CampaignFunnel, 'asOf'> & { readonly asOf: string };
type Group = FunnelJson['byTrustAndSpecialty'][number];

const number = (value: number) => Number(value).toLocaleString('en-GB');
const money = (pence: number) => (pence / 100).toLocaleString('en-GB', { style: 'currency', currency: 'GBP' });
const time = (iso: string) => new Date(iso).toLocaleString('en-GB', AS_OF_FORMAT);

function cell(heading: string, text: string, numeric = false): HTMLTableCellElement {
  const td = document.createElement('td');
  td.setAttribute('role', 'cell');
  td.className = 'nhsuk-table__cell' + (numeric ? ' nhsuk-table__cell--numeric' : '');
  const span = document.createElement('span');
  span.className = 'nhsuk-table__heading';
  span.setAttribute('aria-hidden', 'true');
  span.textContent = heading + ' ';
  const div = document.createElement('div');
  div.textContent = text;
  td.append(span, div);
  return td;
}

function startDashboard(root: HTMLElement): void {
  const url = root.dataset.funnelUrl;
  if (!url) return;
  const every = Number(root.dataset.refreshMs) || 5000;
  const note = root.querySelector('[data-live-note]');
  const say = (text: string) => {
    if (note) note.textContent = text;
  };
  const live = () => say('These figures update every ' + Math.round(every / 1000) + ' seconds.');

  function set(key: string, text: string): void {
    for (const element of root.querySelectorAll(`[data-live="${key}"]`)) if (element.textContent !== text) element.textContent = text;
  }

  function drawBars(totals: FunnelCounts): void {
    const chart = root.querySelector<SVGElement>('[data-live-chart="funnel"]');
    if (!chart) return;
    const left = Number(chart.dataset.labelWidth);
    const area = Number(chart.dataset.barArea);
    const max = Math.max(1, ...FUNNEL_STAGES.map((stage) => totals[stage]));
    for (const stage of FUNNEL_STAGES) {
      const width = Math.max(1, (totals[stage] / max) * area);
      chart.querySelector(`[data-bar="${stage}"]`)?.setAttribute('width', String(width));
      const label = chart.querySelector(`[data-bar-value="${stage}"]`);
      if (label) {
        label.setAttribute('x', String(left + width + 6));
        label.textContent = number(totals[stage]);
      }
    }
  }

  /** Each table by trust and specialty, its stages those its body names (data-live-groups). */
  function drawGroups(groups: readonly Group[]): void {
    for (const body of root.querySelectorAll<HTMLTableSectionElement>('[data-live-groups]')) {
      const table = body.closest('table');
      if (!table) continue;
      const stages = (body.dataset.liveGroups ?? '').split(' ').filter((stage): stage is FunnelStage => (FUNNEL_STAGES as readonly string[]).includes(stage));
      const headings = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
      const rows = groups.map((group) => {
        const tr = document.createElement('tr');
        tr.className = 'nhsuk-table__row';
        tr.setAttribute('role', 'row');
        tr.dataset.testid = 'funnel-group';
        tr.append(
          cell(headings[0] ?? '', `${group.trustName} (${group.trustOds})`),
          cell(headings[1] ?? '', `${group.treatmentFunctionName} (${group.treatmentFunctionCode})`),
        );
        stages.forEach((stage, index) => tr.append(cell(headings[index + 2] ?? '', number(group[stage]), true)));
        return tr;
      });
      body.replaceChildren(...rows);
      table.hidden = groups.length === 0;
    }
    const empty = document.getElementById('groups-empty');
    if (empty) empty.hidden = groups.length > 0;
  }

  async function refresh(): Promise<void> {
    try {
      const response = await fetch(url!, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok || !(response.headers.get('content-type') ?? '').includes('application/json')) throw new Error(String(response.status));
      const funnel = (await response.json()) as FunnelJson;
      for (const stage of FUNNEL_STAGES) set(`totals.${stage}`, number(funnel.totals[stage]));
      for (const channel of PATIENT_CHANNELS) for (const stage of CHANNEL_STAGES) set(`byChannel.${channel}.${stage}`, number(funnel.byChannel[channel][stage]));
      set('money.committedPence', money(funnel.money.committedPence));
      set('money.claimedPence', money(funnel.money.claimedPence));
      set('capacity.slotsInPeriod', number(funnel.capacity.slotsInPeriod));
      set('capacity.slotsBooked', number(funnel.capacity.slotsBooked));
      const slots = funnel.capacity.slotsInPeriod;
      set('capacity.share', slotShareText(funnel.capacity.slotsBooked, slots));
      set('asOf', time(funnel.asOf));
      drawBars(funnel.totals);
      drawGroups(funnel.byTrustAndSpecialty);
      live();
    } catch {
      say('The figures could not be updated just now; the page will try again. Reload it if this persists.');
    }
    setTimeout(() => void refresh(), every);
  }

  // The page says the figures update only once they have: the first read is now.
  void refresh();
}

const root = document.getElementById('campaign-dashboard');
if (root) startDashboard(root);
