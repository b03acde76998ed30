import { createServer } from 'node:net';

/**
 * Ports are handed out below Linux's ephemeral range (32768–60999 by default): a port the kernel
 * chose for us there could be taken, before the child process binds it, by any outgoing connection
 * or any `listen(0)` on the machine (CI once lost the embedded run's SMTP port that way). Each of
 * vitest's worker processes has its own block, so two test files running side by side never pick
 * the same one, and a port is never handed out twice in one process.
 */
const FIRST_PORT = 20_000;
const BLOCK_SIZE = 1_500;
const BLOCKS = 8;

const poolId = Number(process.env.VITEST_POOL_ID ?? '1');
const blockStart = FIRST_PORT + (((Number.isInteger(poolId) && poolId > 0 ? poolId : 1) - 1) % BLOCKS) * BLOCK_SIZE;
let next = Math.floor(Math.random() * BLOCK_SIZE);

function listensFreely(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on right now, for services a test starts as child processes. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < BLOCK_SIZE; tries += 1) {
    const port = blockStart + (next % BLOCK_SIZE);
    next += 1;
    if (await listensFreely(port)) return port;
  }
  throw new Error(`no free port in ${blockStart}–${blockStart + BLOCK_SIZE - 1}`);
}
