/**
 * The dashboard's browser script (./dashboard.ts), bundled for the browser by esbuild once, when
 * first asked for, and served as a static asset from then on.
 */
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./dashboard.ts', import.meta.url));

let bundled: string | undefined;

export function dashboardScript(): string {
  bundled ??= buildSync({ entryPoints: [ENTRY], bundle: true, format: 'iife', platform: 'browser', target: 'es2020', minify: true, write: false, logLevel: 'silent' })
    .outputFiles[0]!.text;
  return bundled;
}
