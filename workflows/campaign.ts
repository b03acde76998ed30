/**
 * A campaign (PRODUCT.md §3 steps 2–3 and 11, issue 5): selects its cohort a page at a time (keyset,
 * longest waiters first), starts one patient transfer per candidate as an abandoned child, and keeps
 * a sliding window of offers outstanding, sized by the IS slots still free in the period, the fund's
 * remaining money, the campaign's ceiling of offers, and the acceptance rate it observes. Transfers
 * report back by signal when their offer is answered, lapses or ends; the campaign never awaits them,
 * but learns when one closes without a word (failed or terminated) and stops waiting on it. The
 * ceiling counts offers, not transfers started: a transfer that made no offer gives its place back.
 * History stays bounded: it continues as new when Temporal suggests, carrying its counts and cursor.
 * Pause stops new offers, resume restarts them, cancel withdraws the open offers; the end of the
 * period closes the campaign.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import { acceptanceEstimate, offerRoom, offerWindow } from '../domain/campaign-window';
import { CAMPAIGN_CONTROLS, type CampaignControl } from '../domain/campaign-control';
import { ACTIVITY_OPTIONS, refuseConflict } from './failures';
import { transferWorkflowId } from './ids';
import {
  campaignCancelledSignal,
  type CampaignControlInput,
  type CampaignInput,
  type CampaignProgress,
  campaignProgressQuery,
  cancelCampaignUpdate,
  type PatientTransferWorkflow,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
  transferReportSignal,
} from './messages';
import { transferSearchAttributes } from './search-attributes';

const activities = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/** Candidates read and started at a time. */
const PAGE = 100;
/**
 * Transfers one run starts before it continues as new: a quarter of Temporal's 2,000 pending children
 * (abandoned children stop counting against a run once it has closed), and a bounded history.
 */
export const STARTS_PER_RUN = 500;
/** With nothing reported, the room left (slots, money) and the earlier runs' transfers are looked at again this often. */
const RECHECK_MS = 15 * 60 * 1000;

export async function campaignWorkflow(input: CampaignInput): Promise<CampaignProgress> {
  const { campaignId } = input;
  // Runs begun before these changes keep their old rules: the ceiling counting starts, and no word of closed transfers.
  const countsOffers = patched('campaign-limit-counts-offers');
  const reconciles = patched('campaign-reconciles-closed-transfers');
  // Transfers start as patientTransferWorkflowV2 (no patches to pay for); runs begun before start the older type.
  const transferType = patched('campaign-starts-transfers-v2') ? 'patientTransferWorkflowV2' : 'patientTransferWorkflow';
  const startsPerRun = input.startsPerRun ?? STARTS_PER_RUN;
  const recheckMs = input.recheckMs ?? RECHECK_MS;
  const outstanding = new Set(input.carried?.outstanding ?? []);
  // Transfers an earlier run started: their closing is no event of this run, so it is looked up.
  const carried = new Set(input.carried?.outstanding ?? []);
  let cursor = input.carried?.cursor ?? null;
  let progress: CampaignProgress = {
    // A run carried from before these counts were kept starts them at nought.
    failed: 0,
    limitReached: false,
    ...(input.carried?.progress ?? {
      phase: 'running',
      started: 0,
      outstanding: 0,
      accepted: 0,
      declined: 0,
      lapsed: 0,
      notOffered: 0,
      window: 0,
      acceptanceRate: acceptanceEstimate(0, 0).rate,
      cohortExhausted: false,
      run: 0,
    }),
  };
  progress = { ...progress, run: progress.run + 1 };
  let startedThisRun = 0;
  // Something happened that may open the window or end the campaign: a report, a control, a page.
  let woken = false;
  const set = (change: Partial<CampaignProgress>) => (progress = { ...progress, ...change, outstanding: outstanding.size });

  setHandler(campaignProgressQuery, () => ({ ...progress, outstanding: outstanding.size }));

  setHandler(transferReportSignal, (report) => {
    // A word from a transfer this campaign is not waiting on (already counted) changes nothing.
    if (!outstanding.delete(report.pathwayId)) return;
    carried.delete(report.pathwayId);
    const counted = { accepted: 'accepted', declined: 'declined', lapsed: 'lapsed', not_offered: 'notOffered', withdrawn: undefined } as const;
    const key = counted[report.outcome];
    set(key ? { [key]: progress[key] + 1 } : {});
    woken = true;
  });

  const control = (update: typeof pauseCampaignUpdate, { from, to, done }: CampaignControl) =>
    setHandler(
      update,
      async (asked: CampaignControlInput) => {
        // The answer is the campaign as this change left it, whatever the main loop does meanwhile.
        const changed = set({ phase: to });
        woken = true;
        await activities.recordCampaignPhase({ campaignId, phase: to, actor: asked.actor });
        return changed;
      },
      {
        validator: (_control: CampaignControlInput) => {
          if (!from.includes(progress.phase)) refuseConflict('wrong_phase', `the campaign is ${progress.phase}: only a ${from.join(' or ')} campaign can be ${done}`);
        },
      },
    );
  // Which change is taken from which state is the domain's rule, the one the pages offer by.
  control(pauseCampaignUpdate, CAMPAIGN_CONTROLS.pause);
  control(resumeCampaignUpdate, CAMPAIGN_CONTROLS.resume);
  control(cancelCampaignUpdate, CAMPAIGN_CONTROLS.cancel);

  /** Transfers that closed without reporting stop being waited on; one that reported is not counted twice. */
  const closedUnreported = (pathwayIds: readonly number[]) => {
    const closed = pathwayIds.filter((pathwayId) => outstanding.delete(pathwayId));
    for (const pathwayId of closed) carried.delete(pathwayId);
    if (closed.length === 0) return;
    set({ failed: progress.failed + closed.length });
    woken = true;
  };
  /** Looks up which transfers of earlier runs have closed: after a quiet spell, when a word may be missing. */
  const reconcileCarried = async () => {
    if (!reconciles || carried.size === 0) return;
    closedUnreported(await activities.closedTransfers({ transfers: [...carried].map((pathwayId) => ({ pathwayId, workflowId: transferWorkflowId(pathwayId) })) }));
  };

  const plan = await activities.loadCampaign({ campaignId });
  const periodEnd = Date.parse(`${plan.period.to}T23:59:59Z`);
  /** How many more may start under the ceiling of offers. */
  const limitRoom = () =>
    countsOffers
      ? offerRoom(plan.maxOffers, { offered: progress.accepted + progress.declined + progress.lapsed, outstanding: outstanding.size, failed: progress.failed })
      : plan.maxOffers - progress.started;

  for (;;) {
    if (progress.phase === 'cancelled' || Date.now() >= periodEnd) break;
    if (countsOffers) set({ limitReached: limitRoom() === 0 });
    if (progress.phase === 'running' && !progress.cohortExhausted && !progress.limitReached && startedThisRun < startsPerRun) {
      const room = await activities.campaignRoom({ campaignId });
      const estimate = acceptanceEstimate(progress.accepted, progress.accepted + progress.declined + progress.lapsed);
      set({ window: offerWindow({ ...room, estimate }), acceptanceRate: estimate.rate });
      const free = Math.min(progress.window - outstanding.size, limitRoom(), startsPerRun - startedThisRun, PAGE);
      if (free > 0) {
        const page = await activities.nextCandidates({ campaignId, after: cursor, limit: free });
        // Paused or cancelled while the page was read: it is left for later, as if never read.
        if (progress.phase === 'running') {
          if (page.length < free) set({ cohortExhausted: true });
          const last = page.at(-1);
          if (last) cursor = { clockStartDate: last.clockStartDate, pathwayId: last.pathwayId };
          await Promise.all(page.map((candidate) => startTransfer(candidate)));
        }
        if (!countsOffers && progress.started >= plan.maxOffers) set({ cohortExhausted: true });
        continue;
      }
    }
    if ((progress.cohortExhausted || progress.limitReached) && outstanding.size === 0) break;
    if (workflowInfo().continueAsNewSuggested || startedThisRun >= startsPerRun) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof campaignWorkflow>({ ...input, carried: { progress, cursor, outstanding: [...outstanding] } });
    }
    woken = false;
    if (!(await condition(() => woken, Math.max(1, Math.min(recheckMs, periodEnd - Date.now()))))) await reconcileCarried();
  }

  if (progress.phase === 'cancelled') {
    // Open offers and bookings not yet confirmed are withdrawn; booked transfers go on to their end.
    // Those just started may not have opened their row yet: every outstanding one is told too.
    const pathways = new Set([...(await activities.openCampaignTransfers({ campaignId })), ...outstanding]);
    await Promise.all(
      [...pathways].map((pathwayId) =>
        getExternalWorkflowHandle(transferWorkflowId(pathwayId))
          .signal(campaignCancelledSignal)
          // A transfer that ended meanwhile needs no word.
          .catch(() => undefined),
      ),
    );
  } else {
    set({ phase: 'completed' });
    await activities.recordCampaignPhase({ campaignId, phase: 'completed' });
  }
  await condition(allHandlersFinished);
  return progress;

  /** Starts one candidate's transfer, once: a pathway already in a transfer is someone else's. */
  async function startTransfer({ pathwayId, trustOds }: { pathwayId: number; trustOds: string }): Promise<void> {
    outstanding.add(pathwayId);
    try {
      const child = await startChild<PatientTransferWorkflow>(transferType, {
        workflowId: transferWorkflowId(pathwayId),
        typedSearchAttributes: transferSearchAttributes({ trustOds, campaignId }),
        args: [{ pathwayId, fundId: plan.fundId, period: plan.period, campaignId, settings: plan.settings }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      // A transfer reports before it closes; one that closes without reporting (failed, terminated) is let go.
      if (reconciles) {
        const closed = () => closedUnreported([pathwayId]);
        child.result().then(closed, closed);
      }
      startedThisRun += 1;
      set({ started: progress.started + 1 });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      outstanding.delete(pathwayId);
      set({});
    }
  }
}
