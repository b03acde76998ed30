/**
 * Chromium for the browser tests: Debian's package, driven by playwright-core. The test run and CI
 * install it when missing (as root, with apt-get); elsewhere the message says what to install.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function ensureChromium(executablePath: string): string {
  if (isExecutable(executablePath)) return executablePath;
  if (process.getuid?.() === 0 && isExecutable('/usr/bin/apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
    if (isExecutable(executablePath)) return executablePath;
  }
  throw new Error(`Chromium is needed for the browser tests and was not found at ${executablePath}: install Debian's 'chromium' package, or set CHROMIUM_PATH`);
}
