/**
 * The main command as a child process, the way an operator runs it (`node --import tsx main.ts [role]`):
 * started with a given environment, ready once it prints where to find everything, stopped by a signal.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Everything it has printed, stdout and stderr together. */
  output(): string;
  /** Resolves with its exit code once it has exited. */
  readonly exited: Promise<number | null>;
  /** Sends the signal (Ctrl-C by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts main.ts and resolves once it is ready; rejects with what it printed if it exits, or stops it if it takes longer than timeoutMs. */
export function startServiceProcess(env: NodeJS.ProcessEnv, args: string[] = [], timeoutMs = 120_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts', ...args], { env, cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const service: ServiceProcess = {
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`main.ts ${args.join(' ')} did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve(service);
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`main.ts ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}
