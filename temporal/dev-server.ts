/**
 * Starts a local Temporal dev server (`temporal server start-dev`) for the embedded run and the tests.
 *
 * State is kept on disk in SQLite (WAL journal) when a file is given, the Web UI is on, the service's
 * search attributes are registered and the namespace keeps closed workflows for months, so finished
 * transfers stay visible. With no binary to hand, the SDK downloads the CLI (needs the internet).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { msToTs } from '@temporalio/common/lib/time';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export interface DevServerOptions {
  /** Path to the `temporal` CLI; when undefined the SDK downloads it. */
  readonly cliPath: string | undefined;
  /** SQLite file for state on disk; in memory when undefined. */
  readonly dbFile?: string | undefined;
  readonly port?: number | undefined;
  readonly uiPort?: number | undefined;
  readonly ui: boolean;
  /** The codec endpoint the UI decodes payloads through (`<API>/codec`); none when undefined. */
  readonly uiCodecEndpoint?: string | undefined;
  readonly namespace: string;
  readonly retentionDays: number;
}

export interface DevServer {
  readonly address: string;
  readonly uiUrl: string | undefined;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  if (options.dbFile) await mkdir(path.dirname(options.dbFile), { recursive: true });
  const extraArgs = ['--log-level', 'warn'];
  if (options.dbFile) {
    extraArgs.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  if (options.ui) extraArgs.push('--ui-disable-news-fetch');
  if (options.ui && options.uiCodecEndpoint) extraArgs.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: options.cliPath ? { type: 'existing-path', path: options.cliPath } : { type: 'cached-download' },
      ip: '127.0.0.1',
      port: options.port || undefined,
      ui: options.ui,
      uiPort: options.ui ? options.uiPort || undefined : undefined,
      dbFilename: options.dbFile,
      namespace: options.namespace,
      searchAttributes: [...SEARCH_ATTRIBUTES],
      extraArgs,
    },
  });
  try {
    await setRetention(env, options.namespace, options.retentionDays);
  } catch (error) {
    await env.teardown();
    throw error;
  }
  const uiPort = options.uiPort || Number(env.address.split(':').at(-1)) + 1000;
  return {
    address: env.address,
    // localhost, as the API's own URL: the UI's calls to /codec carry the staff cookie only within one site.
    uiUrl: options.ui ? `http://localhost:${uiPort}` : undefined,
    stop: () => env.teardown(),
  };
}

async function setRetention(env: TestWorkflowEnvironment, namespace: string, days: number): Promise<void> {
  await env.connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: msToTs(`${days} days`) },
  });
}
