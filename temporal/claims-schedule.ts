/**
 * Each fund's claims Schedule (PRODUCT.md §3 step 10): every night it starts the fund's claims run.
 * Runs never overlap (a run still going means the next is skipped), and a missed night is caught up
 * within a day. Made when the fund is; `ensureClaimsSchedules` makes any that are missing at start-up.
 */
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Db } from '../db/database';
import { fundClaimsWorkflow } from '../workflows/fund-claims';
import { fundClaimsScheduleId } from '../workflows/ids';

/** Creates the fund's Schedule; true when made, false when it was already there. */
export async function ensureClaimsSchedule(client: Client, taskQueue: string, fundId: number): Promise<boolean> {
  const scheduleId = fundClaimsScheduleId(fundId);
  try {
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 2, minute: 30 }], timezone: 'Europe/London' },
      action: { type: 'startWorkflow', workflowType: fundClaimsWorkflow, workflowId: scheduleId, taskQueue, args: [{ fundId }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { fundId },
    });
    return true;
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return false;
    throw error;
  }
}

/** Makes the Schedule of every fund that has none (funds loaded by data, or made while Temporal was away). */
export async function ensureClaimsSchedules(client: Client, taskQueue: string, db: Db): Promise<number> {
  const funds = await db.selectFrom('funds').select('id').orderBy('id').execute();
  let made = 0;
  for (const fund of funds) if (await ensureClaimsSchedule(client, taskQueue, fund.id)) made += 1;
  return made;
}
