/**
 * Deploy safety: every saved history (test/histories/, written by the workflow tests with
 * SAVE_HISTORIES=1) must replay on today's workflow code. A change that would break transfers
 * already running in production — a new activity call, a reordered step, a changed timer — fails
 * here; such a change needs `patched()` and a fresh history beside the old one.
 */
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { installTemporalRuntime } from '../../temporal/runtime';
import { savedHistories } from '../support/histories';

const histories = await savedHistories();

beforeAll(() => {
  installTemporalRuntime(pino({ level: 'warn' }));
});

describe('replaying saved workflow histories', () => {
  it('has a history for every way a transfer ends, a call back, an outcome refused for its date, every way a campaign ends or continues, and a claims run', () => {
    expect(histories.map((saved) => saved.name)).toEqual(
      expect.arrayContaining([
        'patient-transfer-screened-out',
        'patient-transfer-refused',
        'patient-transfer-review-lapsed',
        'patient-transfer-lapsed',
        'patient-transfer-declined',
        'patient-transfer-returned',
        'patient-transfer-withdrawn',
        'patient-transfer-treated',
        'patient-transfer-did-not-attend',
        'patient-transfer-cancelled',
        'patient-transfer-campaign-cancelled',
        'patient-transfer-called-back',
        'patient-transfer-outcome-refused-for-its-date',
        'campaign-cancelled',
        'campaign-limit-reached',
        'campaign-continued-as-new',
        'campaign-transfers-closed-unreported',
        'campaign-carried-transfers-closed',
        'fund-claims',
      ]),
    );
  });

  it.each(histories.map((saved) => [saved.name, saved] as const))('%s replays on the current code', async (name, saved) => {
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, saved.history, name);
  });
});
