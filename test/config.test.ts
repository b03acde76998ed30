import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';

const KEY = Buffer.alloc(32, 7).toString('base64');
/** What a separate API or worker is given: the shared Temporal (with its keys), PostgreSQL and SMTP. */
const SHARED = {
  TEMPORAL_ADDRESS: 'temporal:7233',
  PAYLOAD_KEYS: `k2:${KEY},k1:${Buffer.alloc(32, 1).toString('base64')}`,
  DATABASE_URL: 'postgres://app@db/backlog_transfer',
  SMTP_URL: 'smtp://mail:1025',
};

/** The message loadConfig refuses env with. */
function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  it('serves the embedded run with nothing set', () => {
    const config = loadConfig({}, '/srv/bt');
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: '/srv/bt/.data',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      TEMPORAL_NAMESPACE: 'default',
      DEMO_DATA: true,
      SHUTDOWN_GRACE_SECONDS: 20,
      WORKER_CACHED_WORKFLOWS: 400,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads the project's own reference data, wherever it is started from, unless told otherwise", () => {
    const own = fileURLToPath(new URL('../reference/data', import.meta.url));
    expect(loadConfig({}, '/srv/bt').REFERENCE_DATA_DIR).toBe(own);
    expect(existsSync(`${own}/ods/etr.csv`)).toBe(true);
    expect(loadConfig({ REFERENCE_DATA_DIR: 'elsewhere/data' }, '/srv/bt').REFERENCE_DATA_DIR).toBe('/srv/bt/elsewhere/data');
  });

  it('names every bad variable at once', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', DEMO_DATA: 'maybe' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT:.*\n.*DATABASE_URL:.*\n.*DEMO_DATA:/s);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', SMTP_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('takes the worker metrics address as ip:port, and leaves it off unless set', () => {
    expect(loadConfig({}).TEMPORAL_METRICS_ADDRESS).toBeUndefined();
    expect(loadConfig({ TEMPORAL_METRICS_ADDRESS: '0.0.0.0:9464' }).TEMPORAL_METRICS_ADDRESS).toBe('0.0.0.0:9464');
    expect(loadConfig({ TEMPORAL_METRICS_ADDRESS: '[::1]:9464' }).TEMPORAL_METRICS_ADDRESS).toBe('[::1]:9464');
    for (const bad of ['9464', 'localhost:9464']) expect(() => loadConfig({ TEMPORAL_METRICS_ADDRESS: bad })).toThrow(/TEMPORAL_METRICS_ADDRESS: must be ip:port/);
  });

  it('parses the payload keys once: the first encrypts', () => {
    const keys = loadConfig({ ...SHARED, SERVICE_ROLE: 'worker' }).PAYLOAD_KEYS;
    expect(keys?.map((key) => key.id)).toEqual(['k2', 'k1']);
    expect(keys?.[0]?.key.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('checks payload keys: well formed, unique, and required with a shared Temporal', () => {
    expect(problems({ PAYLOAD_KEYS: `k1:${KEY},k1:${KEY},k3:c2hvcnQ=` })).toBe(
      'Invalid configuration:\n  PAYLOAD_KEYS: entry 3 (k3) must be 32 bytes in base64, got 5; key id k1 is used twice',
    );
    expect(problems({ TEMPORAL_ADDRESS: 'temporal:7233' })).toMatch(/^ {2}PAYLOAD_KEYS: must be set with TEMPORAL_ADDRESS/m);
    // The embedded run makes its own.
    expect(loadConfig({}).PAYLOAD_KEYS).toBeUndefined();
  });

  it('gives a separate API or worker no infrastructure of its own: it must be told where the shared one is', () => {
    for (const role of ['api', 'worker']) {
      const message = problems({ SERVICE_ROLE: role });
      for (const variable of ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'SMTP_URL']) {
        expect(message).toContain(`  ${variable}: must be set with SERVICE_ROLE=${role}`);
      }
      expect(loadConfig({ ...SHARED, SERVICE_ROLE: role }).SERVICE_ROLE).toBe(role);
    }
  });

  it('loads demo data and prints staff tokens by default in the embedded run only', () => {
    expect(loadConfig({}).DEMO_DATA).toBe(true);
    expect(loadConfig({ DEMO_DATA: 'false' }).DEMO_DATA).toBe(false);
    expect(loadConfig({ ...SHARED, SERVICE_ROLE: 'api' }).DEMO_DATA).toBe(false);
    expect(loadConfig({ ...SHARED, SERVICE_ROLE: 'api', DEMO_DATA: 'true' }).DEMO_DATA).toBe(true);
  });

  it('checks what each URL is for', () => {
    const message = problems({ SMTP_URL: 'http://mail:1025', DATABASE_URL: 'mysql://db/app', PUBLIC_BASE_URL: 'ftp://nhs.test' });
    expect(message).toContain('  SMTP_URL: must be an smtp:// or smtps:// URL');
    expect(message).toContain('  DATABASE_URL: must be a postgres:// URL');
    expect(message).toContain('  PUBLIC_BASE_URL: must be an http:// or https:// URL');
    expect(problems({ PUBLIC_BASE_URL: 'https://nhs.test/?from=email' })).toContain('PUBLIC_BASE_URL: must not have a query or fragment');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://transfer.nhs.test/', SMTP_URL: 'smtps://u:p@mail:465' }).PUBLIC_BASE_URL).toBe('https://transfer.nhs.test');
  });

  it('sends nothing through GOV.UK Notify unless told to, and checks its key, template ids and that each needs the key', () => {
    expect(loadConfig({})).toMatchObject({ NOTIFY_LETTERS: false });
    expect(loadConfig({}).NOTIFY_API_KEY).toBeUndefined();
    const key = 'backlog_transfer-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0';
    const template = 'f33517ff-2a88-4f6e-b855-c550268ce08a';
    expect(loadConfig({ NOTIFY_API_KEY: key, NOTIFY_SMS_TEMPLATE_ID: template, NOTIFY_BASE_URL: 'http://127.0.0.1:6011' })).toMatchObject({
      NOTIFY_API_KEY: key,
      NOTIFY_SMS_TEMPLATE_ID: template,
      NOTIFY_BASE_URL: 'http://127.0.0.1:6011',
      NOTIFY_LETTERS: false,
    });
    expect(problems({ NOTIFY_API_KEY: 'secret', NOTIFY_EMAIL_TEMPLATE_ID: 'welcome', NOTIFY_BASE_URL: 'notify' }).split('\n').slice(1)).toEqual([
      '  NOTIFY_API_KEY: must be a Notify API key: its name, then the service id and the secret key, each a UUID',
      '  NOTIFY_BASE_URL: must be an http:// or https:// URL',
      '  NOTIFY_EMAIL_TEMPLATE_ID: must be a Notify template id (a UUID)',
    ]);
    expect(problems({ NOTIFY_SMS_TEMPLATE_ID: template, NOTIFY_LETTERS: 'true' })).toBe(
      'Invalid configuration:\n  NOTIFY_SMS_TEMPLATE_ID: needs NOTIFY_API_KEY: it sends through GOV.UK Notify\n  NOTIFY_LETTERS: needs NOTIFY_API_KEY: it sends through GOV.UK Notify',
    );
    expect(problems({ NOTIFY_API_KEY: key })).toContain('NOTIFY_API_KEY: sends nothing on its own');
  });

  it('takes Notify’s delivery receipts only with a long callback token', () => {
    expect(loadConfig({}).NOTIFY_CALLBACK_TOKEN).toBeUndefined();
    const token = 'c'.repeat(64);
    expect(loadConfig({ NOTIFY_CALLBACK_TOKEN: token }).NOTIFY_CALLBACK_TOKEN).toBe(token);
    expect(problems({ NOTIFY_CALLBACK_TOKEN: 'notify-secret' })).toContain('NOTIFY_CALLBACK_TOKEN: must be at least 32 characters');
    expect(problems({ NOTIFY_CALLBACK_TOKEN: `${token} x` })).toContain('NOTIFY_CALLBACK_TOKEN: must have no spaces');
  });

  it('reads bounces only with a bounce domain, and its receiver listens on HOST unless told otherwise', () => {
    expect(loadConfig({}).SMTP_BOUNCE_DOMAIN).toBeUndefined();
    expect(loadConfig({})).toMatchObject({ BOUNCE_SMTP_PORT: 2525, BOUNCE_SMTP_HOST: '127.0.0.1' });
    expect(loadConfig({ SMTP_BOUNCE_DOMAIN: 'Bounces.Backlog-Transfer.example', HOST: '0.0.0.0' })).toMatchObject({ SMTP_BOUNCE_DOMAIN: 'bounces.backlog-transfer.example', BOUNCE_SMTP_HOST: '0.0.0.0' });
    expect(loadConfig({ SMTP_BOUNCE_DOMAIN: 'bounces.example', BOUNCE_SMTP_HOST: '10.0.0.5', BOUNCE_SMTP_PORT: '25' })).toMatchObject({ BOUNCE_SMTP_HOST: '10.0.0.5', BOUNCE_SMTP_PORT: 25 });
    for (const domain of ['bounces', 'bounces@example.test', 'bounces.example.test.', '-x.example.test', 'a b.example.test']) {
      expect(problems({ SMTP_BOUNCE_DOMAIN: domain }), domain).toContain('SMTP_BOUNCE_DOMAIN: must be a domain name');
    }
    expect(problems({ SMTP_BOUNCE_DOMAIN: 'bounces.example', BOUNCE_SMTP_PORT: '3000' })).toContain('BOUNCE_SMTP_PORT: port 3000 is already taken by PORT');
    // A worker runs no receiver: the port is the API's.
    expect(loadConfig({ ...SHARED, SERVICE_ROLE: 'worker', SMTP_BOUNCE_DOMAIN: 'bounces.example', BOUNCE_SMTP_PORT: '3000' }).BOUNCE_SMTP_PORT).toBe(3000);
  });

  it('refuses, with text messages on, a service address and patient line too long for a text to go as one SMS', () => {
    const key = 'backlog_transfer-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0';
    const sms = { NOTIFY_API_KEY: key, NOTIFY_SMS_TEMPLATE_ID: 'f33517ff-2a88-4f6e-b855-c550268ce08a', PATIENT_PHONE: '0808 157 0192' };
    const address = (length: number) => `https://${'a'.repeat(length - 'https://.nhs.uk'.length)}.nhs.uk`;
    expect(loadConfig({ ...sms, PUBLIC_BASE_URL: address(56 - 13) }).PUBLIC_BASE_URL).toHaveLength(43);
    expect(problems({ ...sms, PUBLIC_BASE_URL: address(56 - 12) })).toBe(
      'Invalid configuration:\n  PUBLIC_BASE_URL: with PATIENT_PHONE, too long for text messages (NOTIFY_SMS_TEMPLATE_ID) to go as one SMS: the two may have 56 characters together, and have 57',
    );
    // Without text messages, an address may be as long as it likes.
    expect(loadConfig({ PUBLIC_BASE_URL: address(80) }).PUBLIC_BASE_URL).toHaveLength(80);
  });

  it('refuses two servers on one port, counting only the servers this process starts', () => {
    expect(problems({ PORT: '8233', CATCHER_SMTP_PORT: '8233' })).toBe(
      'Invalid configuration:\n  CATCHER_SMTP_PORT: port 8233 is already taken by PORT\n  TEMPORAL_UI_PORT: port 8233 is already taken by PORT',
    );
    // With a shared Temporal and SMTP server, only the API listens; a worker listens on nothing.
    expect(loadConfig({ ...SHARED, PORT: '7233', CATCHER_SMTP_PORT: '7233', TEMPORAL_DEV_PORT: '7233' }).PORT).toBe(7233);
    expect(loadConfig({ ...SHARED, SERVICE_ROLE: 'worker', PORT: '5433' }).PORT).toBe(5433);
    expect(problems({ ...SHARED, TEMPORAL_METRICS_ADDRESS: '0.0.0.0:3000' })).toBe(
      'Invalid configuration:\n  TEMPORAL_METRICS_ADDRESS: port 3000 is already taken by PORT',
    );
    // 0 is any free port.
    expect(loadConfig({ PORT: '0', CATCHER_SMTP_PORT: '0' }).PORT).toBe(0);
  });

  it('names bad variables and broken rules together', () => {
    expect(problems({ SERVICE_ROLE: 'worker', PORT: 'eighty', SMTP_URL: 'mail', PAYLOAD_KEYS: 'nokey' }).split('\n').map((line) => line.split(':')[0]!.trim())).toEqual([
      'Invalid configuration',
      'PORT',
      'PAYLOAD_KEYS',
      'SMTP_URL',
      'TEMPORAL_ADDRESS',
      'DATABASE_URL',
    ]);
  });
});

describe('the main command', () => {
  it('refuses a bad configuration before starting anything, naming every problem', { timeout: 20_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts', 'worker'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: '127.0.0.1:7233', SHUTDOWN_GRACE_SECONDS: 'soon' },
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n').map((line) => line.split(':')[0]!.trim())).toEqual([
      'Invalid configuration',
      'SHUTDOWN_GRACE_SECONDS',
      'PAYLOAD_KEYS',
      'DATABASE_URL',
      'SMTP_URL',
      '',
    ]);
  });
});
