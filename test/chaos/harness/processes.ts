/**
 * A service process (`main.ts api` or `main.ts worker`) kept running for the chaos suite. The harness
 * may SIGKILL it on purpose, and then starts it again; any other exit is a finding: it is recorded
 * with what the process printed last (never hidden), and the process is started again so the run can
 * go on and show what else happens.
 */
import { type ServiceProcess, startServiceProcess } from '../../support/service-process';

export interface UnexpectedExit {
  readonly role: string;
  readonly code: number | null;
  readonly at: string;
  /** The end of what it printed. */
  readonly output: string;
}

const OUTPUT_TAIL = 4_000;
/** How long a process has to stop after SIGTERM (its own grace is SHUTDOWN_GRACE_SECONDS, 5 s here). */
const STOP_GRACE_MS = 20_000;

export class SupervisedProcess {
  private current: ServiceProcess | undefined;
  private killing = false;
  private earlier = '';
  private stopped = false;
  readonly unexpectedExits: UnexpectedExit[] = [];
  kills = 0;
  starts = 0;

  constructor(
    readonly role: 'api' | 'worker',
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** What every process of this role has printed, the ones killed or exited before the running one's too. */
  output(): string {
    return this.earlier + (this.current?.output() ?? '');
  }

  async start(): Promise<void> {
    this.current = await startServiceProcess(this.env, [this.role], 240_000);
    this.starts += 1;
    const running = this.current;
    void running.exited.then((code) => {
      this.earlier += running.output();
      if (this.killing || this.stopped || this.current !== running) return;
      this.unexpectedExits.push({ role: this.role, code, at: new Date().toISOString(), output: running.output().slice(-OUTPUT_TAIL) });
      void this.start().catch((error: unknown) => {
        this.unexpectedExits.push({ role: this.role, code: null, at: new Date().toISOString(), output: `could not be started again: ${(error as Error).message.slice(-OUTPUT_TAIL)}` });
      });
    });
  }

  /** SIGKILL, as a machine losing the process would; then a fresh one. */
  async kill(): Promise<void> {
    const running = this.current;
    if (!running) return;
    this.killing = true;
    try {
      await running.stop('SIGKILL');
      this.kills += 1;
    } finally {
      this.killing = false;
    }
    await this.start();
  }

  /** SIGTERM, as an operator stops it; SIGKILL if it has not exited STOP_GRACE_MS later, so no run leaves it behind. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running = this.current;
    if (!running) return;
    const kill = setTimeout(() => running.child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      await running.stop('SIGTERM');
      if (running.child.signalCode === 'SIGKILL') console.warn(`${this.role} did not stop within ${STOP_GRACE_MS} ms of SIGTERM:\n${running.output().slice(-OUTPUT_TAIL)}`);
    } finally {
      clearTimeout(kill);
    }
  }
}
