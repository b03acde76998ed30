import { Context } from '@temporalio/activity';
import { openTransferRow, setTransferState } from '../db/repositories/transfers';
import type { ActivityDeps } from './index';

const CLOSED_STATES = new Set(['lapsed']);

export function transferActivities({ db }: ActivityDeps) {
  return {
    /** Opens (or finds) this run's transfer row; returns its id for the workflow to carry. */
    async openTransfer(input: { pathwayId: number }): Promise<{ transferId: number }> {
      const { workflowExecution } = Context.current().info;
      if (!workflowExecution) throw new Error('openTransfer runs only as a workflow activity');
      const transfer = await openTransferRow(db, {
        pathwayId: input.pathwayId,
        workflowId: workflowExecution.workflowId,
        runId: workflowExecution.runId,
      });
      return { transferId: transfer.id };
    },

    /** Mirrors the workflow's state into the transfers table and its timeline. */
    async recordTransferState(input: { transferId: number; state: string }): Promise<void> {
      await setTransferState(db, input.transferId, input.state, CLOSED_STATES.has(input.state));
    },
  };
}
