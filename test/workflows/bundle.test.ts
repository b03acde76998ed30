/**
 * What the workflow bundle carries is paid once per cached workflow: the SDK's reusable V8 context
 * evaluates a bundle's modules apart for each workflow, so a library the workflows import costs its
 * whole module state in every transfer a worker holds (zod: about 2.6 MiB each, which held 400 cached
 * transfers at 1.45 GiB). The bundle the workers run (built once for the test run) must carry no zod:
 * request rules reach workflows as plain functions (domain/transfer.ts).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';

describe('the workflow bundle', () => {
  it('carries no zod', async () => {
    const code = await readFile(inject('workflowBundlePath'), 'utf8');
    expect(code).toContain('patientTransferWorkflow');
    expect(code.includes('node_modules/zod/'), 'a workflow imports a module that imports zod').toBe(false);
  });
});
