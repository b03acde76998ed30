/**
 * The processes a benchmark measures, each on its own, as a deployment runs them: started with a given
 * environment, ready once they print their ready line, their memory read from /proc, stopped by a
 * signal. The service itself is `main.ts <role>`; the baselines are small scripts beside this file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BenchProcess {
  readonly child: ChildProcess;
  /** Everything it has printed, stdout and stderr together. */
  output(): string;
  /** Resident and peak resident memory in bytes (VmRSS, VmHWM), from /proc. */
  memory(): { rss: number; peak: number };
  stop(): Promise<void>;
}

/** What main.ts prints once it is serving (main.ts), and what the baseline scripts print too. */
export const READY_LINE = 'Press Ctrl-C to stop.';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** `main.ts <role>` (api or worker) with the environment given, nothing inherited, and Node's own flags if any (`--cpu-prof`). */
export function startService(role: 'api' | 'worker', env: NodeJS.ProcessEnv, nodeFlags: readonly string[] = []): Promise<BenchProcess> {
  return startProcess(MAIN, [role], env, nodeFlags);
}

/** A TypeScript entry under tsx; resolves once it prints READY_LINE, rejects with its output if it exits first or takes over two minutes. */
export function startProcess(entry: string, args: readonly string[], env: NodeJS.ProcessEnv, nodeFlags: readonly string[] = []): Promise<BenchProcess> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', entry, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle: BenchProcess = {
    child,
    output: () => output,
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
      return { rss: kib('VmRSS'), peak: kib('VmHWM') };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`${entry} ${args.join(' ')} was not ready within two minutes:\n${output}`));
    }, 120_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_LINE)) {
        clearTimeout(timer);
        resolve(handle);
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/** Where a process is started: a port nothing listens on right now (the tests' own helper). */
export { freePort } from '../test/support/ports';

/** What `main.ts api|worker` needs to join one deployment: its Temporal, queue, keys, database and SMTP relay. */
export function serviceEnv(options: {
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly payloadKeys: string;
  readonly databaseUrl: string;
  readonly smtpUrl: string;
}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: options.namespace,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    PAYLOAD_KEYS: options.payloadKeys,
    DATABASE_URL: options.databaseUrl,
    SMTP_URL: options.smtpUrl,
  };
}
