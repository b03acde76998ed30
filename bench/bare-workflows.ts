/**
 * The campaign benchmark's baseline: bare Temporal workflows started the way the campaign starts its
 * transfers. A parent reads "pages" (two no-op activities a page, as campaignRoom and nextCandidates)
 * and starts a page of abandoned children at a time, continuing as new after the same number of
 * starts per run as the campaign; each child runs the same number of no-op activities in a row as a
 * transfer runs up to its offer being sent, then waits on a timer as a transfer waits for its patient
 * (so no child closes and reports to its parent). Empty bodies (the worker's noop only notes when a
 * child's last one ran, for the benchmark's clock), no codec, no search attributes.
 */
import { continueAsNew, ParentClosePolicy, proxyActivities, sleep, startChild } from '@temporalio/workflow';

export interface BareActivities {
  /** `last`: the child's last activity (the one a transfer's offer email stands for). */
  noop(last?: boolean): Promise<void>;
}

const { noop } = proxyActivities<BareActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export interface BareCampaignInput {
  /** Children to start in all. */
  readonly count: number;
  /** No-op activities each child runs. */
  readonly activities: number;
  readonly page: number;
  readonly startsPerRun: number;
  /** Prefix of the children's workflow ids. */
  readonly idPrefix: string;
  readonly started?: number;
}

export async function bareCampaignWorkflow(input: BareCampaignInput): Promise<number> {
  let started = input.started ?? 0;
  let startedThisRun = 0;
  await noop(); // as loadCampaign
  while (started < input.count && startedThisRun < input.startsPerRun) {
    await noop(); // as campaignRoom
    await noop(); // as nextCandidates
    const size = Math.min(input.page, input.count - started, input.startsPerRun - startedThisRun);
    const first = started;
    await Promise.all(
      Array.from({ length: size }, (_, offset) =>
        startChild(bareTransferWorkflow, {
          workflowId: `${input.idPrefix}-${first + offset}`,
          args: [input.activities],
          parentClosePolicy: ParentClosePolicy.ABANDON,
        }),
      ),
    );
    started += size;
    startedThisRun += size;
  }
  if (started < input.count) await continueAsNew<typeof bareCampaignWorkflow>({ ...input, started });
  return started;
}

export async function bareTransferWorkflow(activities: number): Promise<void> {
  for (let index = 0; index < activities; index++) await noop(index === activities - 1);
  // As a transfer waits for its patient's answer once the offer is out.
  await sleep('30 days');
}
