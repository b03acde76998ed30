/**
 * `npm run cli -- temporal:setup` as an operator runs it against their own Temporal: it registers the
 * workflows' search attributes in a namespace that has none, changes nothing when run again, and where
 * Temporal refuses, fails naming each attribute and the command that adds it.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { createTestTemporal, type TestTemporal } from '../support/temporal';

const run = promisify(execFile);
let temporal: TestTemporal;

beforeAll(async () => {
  temporal = await createTestTemporal({ searchAttributes: false });
});

afterAll(async () => {
  await temporal?.close();
});

async function setup(namespace: string): Promise<{ code: number; out: string }> {
  const env = { ...process.env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: namespace, PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`, LOG_LEVEL: 'warn' };
  try {
    const { stdout } = await run('npx', ['tsx', 'cli/index.ts', 'temporal:setup'], { env });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

async function registered(): Promise<string[]> {
  const { customAttributes } = await temporal.client.connection.operatorService.listSearchAttributes({ namespace: temporal.namespace });
  return SEARCH_ATTRIBUTES.map((key) => key.name).filter((name) => customAttributes?.[name] !== undefined);
}

describe('temporal:setup', () => {
  it('registers the search attributes a namespace lacks, and changes nothing the second time', { timeout: 60_000 }, async () => {
    expect(await registered()).toEqual([]);
    expect(await setup(temporal.namespace)).toEqual({ code: 0, out: `Registered TransferState, TrustOds, CampaignId in ${temporal.namespace}.\n` });
    expect(await registered()).toEqual(['TransferState', 'TrustOds', 'CampaignId']);
    expect(await setup(temporal.namespace)).toEqual({ code: 0, out: `${temporal.namespace} has every search attribute already.\n` });
  });

  it('fails, naming each attribute and the command that adds it, when Temporal refuses', { timeout: 60_000 }, async () => {
    const { code, out } = await setup('no-such-namespace');
    expect(code).toBe(1);
    expect(out).toContain('could not register the search attributes TransferState (Keyword), TrustOds (Keyword), CampaignId (Keyword) in Temporal namespace no-such-namespace');
    expect(out).toContain('temporal operator search-attribute create --namespace no-such-namespace --name TrustOds --type Keyword');
  });
});
