/**
 * The main command with nothing configured and no PostgreSQL reachable (the local probe points at a
 * closed port): it must start its own Temporal dev server, an embedded PostgreSQL and the SMTP
 * catcher, answer /health, and keep everything on disk across a restart.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { transferWorkflowId } from '../workflows/ids';
import { freePort } from './support/ports';
import { type ServiceProcess, startServiceProcess } from './support/service-process';

let dataDir: string;
let env: NodeJS.ProcessEnv;
let api: string;
let temporalPort: number;
let running: ServiceProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'bt-stack-'));
  // As root, embedded PostgreSQL runs as the 'postgres' user, who must be able to reach its folder.
  await chmod(dataDir, 0o755);
  const [port, closedPort, embeddedPort, smtpPort, uiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  temporalPort = await freePort();
  api = `http://127.0.0.1:${port}`;
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_BASE_URL: api,
    LOCAL_DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/backlog_transfer`,
    EMBEDDED_POSTGRES_PORT: String(embeddedPort),
    CATCHER_SMTP_PORT: String(smtpPort),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    DEMO_PATHWAYS: '300',
    ...(inject('temporalCliPath') ? { TEMPORAL_CLI_PATH: inject('temporalCliPath') } : {}),
  };
});

afterAll(async () => {
  // After a failure the service may still run: stop it the way a person would, so its Temporal dev
  // server and PostgreSQL stop too, and only kill it if that does not work.
  if (running) {
    const stopped = await Promise.race([running.stop(), new Promise((resolve) => setTimeout(resolve, 30_000, 'timeout'))]);
    if (stopped === 'timeout') running.child.kill('SIGKILL');
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function startService(): Promise<ServiceProcess> {
  running = await startServiceProcess(env);
  return running;
}

const tokenFor = (output: string, role: string) => output.match(new RegExp(`${role}\\s+(bt_\\S+)`))![1]!;

describe('the embedded run', () => {
  it('starts with no PostgreSQL reachable and no SMTP_URL, and keeps its data across a restart', { timeout: 300_000 }, async () => {
    const first = await startService();
    expect(first.output()).toContain('(embedded)');
    expect(first.output()).toContain(`Dev mailbox  ${api}/dev/mailbox`);
    const health = await fetch(`${api}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { database: 'ok', temporal: 'ok', smtp: 'ok' } });

    // The generated demo world is loaded, with a fund to pay for its transfers: start a few. Each is
    // screened, then waits for its trust's clinician (or ends, when no IS site can take the patient).
    const oldToken = tokenFor(first.output(), 'admin');
    for (const pathwayId of [1, 2, 3, 4, 5]) {
      const started = await fetch(`${api}/api/v1/transfers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${oldToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ pathwayId, fundId: 1 }),
      });
      expect(started.status).toBe(202);
    }
    const states = async (token: string) => {
      const found: Record<number, string> = {};
      for (const id of [1, 2, 3, 4, 5]) {
        const transfer = await fetch(`${api}/api/v1/transfers/${id}`, { headers: { authorization: `Bearer ${token}` } });
        if (transfer.ok) found[id] = ((await transfer.json()) as { state: string }).state;
      }
      return found;
    };
    const settled = (found: Record<number, string>) =>
      Object.keys(found).length === 5 && Object.values(found).every((state) => state === 'awaiting_review' || state === 'screened_out');
    await expect.poll(async () => settled(await states(oldToken)), { timeout: 30_000, interval: 500 }).toBe(true);
    const before = await states(oldToken);
    expect(await first.stop(), first.output()).toBe(0);
    await expect(fetch(`${api}/health`)).rejects.toThrow();

    const second = await startService();
    expect(second.output()).toContain('(embedded)');
    expect((await fetch(`${api}/health`)).status).toBe(200);
    // Tokens are stored hashed: each run prints fresh ones and retires the last run's.
    const newToken = tokenFor(second.output(), 'admin');
    expect((await fetch(`${api}/api/v1/transfers/1`, { headers: { authorization: `Bearer ${oldToken}` } })).status).toBe(401);
    // Transfers go on where they were.
    expect(await states(newToken)).toEqual(before);
    const waiting = Object.entries(before).find(([, state]) => state === 'awaiting_review');
    expect(waiting, 'at least one of the five demo patients can be taken by an IS site').toBeDefined();
    const { pathwayId } = (await (await fetch(`${api}/api/v1/transfers/${waiting![0]}`, { headers: { authorization: `Bearer ${newToken}` } })).json()) as {
      pathwayId: number;
    };

    // Temporal kept the running workflow in its SQLite file.
    const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    const described = await connection.workflowService.describeWorkflowExecution({
      namespace: 'default',
      execution: { workflowId: transferWorkflowId(pathwayId) },
    });
    expect(described.workflowExecutionInfo?.status).toBe(1); // RUNNING
    // Finished transfers stay visible for months.
    const namespace = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(Number(namespace.config?.workflowExecutionRetentionTtl?.seconds)).toBe(180 * 86_400);
    await connection.close();
    expect(await second.stop(), second.output()).toBe(0);
  });
});
