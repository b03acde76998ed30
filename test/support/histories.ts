/**
 * Saved workflow histories for the replay tests (test/histories/). The tests that run a workflow to
 * its end save its history when asked (SAVE_HISTORIES=1); the payloads are decoded first, because the
 * test codec's key is made afresh each run and a saved history must replay in any later run.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

// The protobuf classes' own object form (enums by name, bytes as base64), read back by fromObject.
// The SDK's historyToJSON/historyFromJSON cannot be used here: npm gives @temporalio/common its own
// copy of protobufjs, and its JSON reader then refuses @temporalio/proto's types ("type must be a Type").
const { History } = temporal.api.history.v1;
type History = temporal.api.history.v1.History;
const AS_JSON = { enums: String, longs: String, bytes: String } as const;

export const HISTORIES_DIR = path.join(import.meta.dirname, '..', 'histories');

const ENCRYPTED = 'binary/encrypted';

/** Every encrypted payload anywhere in the history (inputs, results, update arguments, failures…). */
function encryptedPayloads(node: unknown, found: Payload[] = []): Payload[] {
  if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return found;
  if (Array.isArray(node)) {
    for (const item of node) encryptedPayloads(item, found);
    return found;
  }
  const record = node as Record<string, unknown>;
  const encoding = (record.metadata as Record<string, unknown> | undefined)?.encoding;
  if (encoding instanceof Uint8Array && new TextDecoder().decode(encoding) === ENCRYPTED) {
    found.push(record as Payload);
    return found;
  }
  for (const value of Object.values(record)) encryptedPayloads(value, found);
  return found;
}

/** Saves a finished run's history, decoded, as test/histories/<name>.json, when SAVE_HISTORIES is set. */
export async function saveHistory(name: string, handle: WorkflowHandle, codec: PayloadCodec): Promise<void> {
  if (!process.env.SAVE_HISTORIES) return;
  const history = await handle.fetchHistory();
  const payloads = encryptedPayloads(history);
  const decoded = await codec.decode(payloads);
  payloads.forEach((payload, index) => {
    payload.metadata = decoded[index]!.metadata;
    payload.data = decoded[index]!.data;
  });
  await mkdir(HISTORIES_DIR, { recursive: true });
  await writeFile(path.join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify(History.toObject(History.fromObject(history), AS_JSON), null, 1)}\n`);
}

/**
 * Every saved history: those recorded on today's code, and in dated folders those recorded before a
 * workflow changed (behind `patched()`), which must still replay too.
 */
export async function savedHistories(): Promise<{ name: string; history: History }[]> {
  const files = (await readdir(HISTORIES_DIR, { recursive: true })).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({ name: file.replace(/\.json$/, ''), history: History.fromObject(JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8'))) })),
  );
}
