/**
 * Payload codec: every payload the client or worker hands to Temporal is encrypted with AES-256-GCM,
 * so no personal data is ever stored in clear in workflow histories (PRODUCT.md §4). The key id is
 * kept in the payload's metadata so keys can be rotated: the first key encrypts, all keys decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

const { temporal } = proto;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export interface PayloadKey {
  readonly id: string;
  readonly key: Buffer;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class EncryptionCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: PayloadKey;

  constructor(keys: readonly PayloadKey[]) {
    const [current] = keys;
    if (!current) throw new Error('EncryptionCodec needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== KEY_BYTES) throw new Error(`payload key ${id} must be ${KEY_BYTES} bytes, got ${key.length}`);
    }
    this.current = current;
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: encoder.encode(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: encoder.encode(this.current.id),
        },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      if (!keyIdBytes) throw new Error('encrypted payload has no key id');
      const keyId = decoder.decode(keyIdBytes);
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`no payload key with id ${keyId}`);
      if (!payload.data || payload.data.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted payload is truncated');
      const data = Buffer.from(payload.data);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** Parses `id:base64key,id:base64key`; the first key is the one that encrypts. Throws naming every bad entry. */
export function parsePayloadKeys(text: string): PayloadKey[] {
  const problems: string[] = [];
  const keys = text.split(',').map((entry, index) => {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator).trim();
    const encoded = entry.slice(separator + 1).trim();
    if (separator <= 0 || !id || !encoded) {
      problems.push(`entry ${index + 1} must be id:base64key`);
      return { id, key: Buffer.alloc(0) };
    }
    const key = Buffer.from(encoded, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length !== KEY_BYTES) {
      problems.push(`entry ${index + 1} (${id}) must be ${KEY_BYTES} bytes in base64, got ${key.length}`);
    }
    return { id, key };
  });
  const ids = keys.map(({ id }) => id).filter(Boolean);
  for (const id of new Set(ids.filter((id, index) => ids.indexOf(id) !== index))) problems.push(`key id ${id} is used twice`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return keys;
}

export function generatePayloadKey(): PayloadKey {
  return { id: `dev-${randomBytes(4).toString('hex')}`, key: randomBytes(KEY_BYTES) };
}

/**
 * The keys for this run: the configured ones (config.ts insists on them with a shared cluster);
 * otherwise, for the embedded run, a dev key generated once and kept in the data folder so the
 * histories written yesterday still decrypt today.
 */
export async function loadPayloadKeys(options: { readonly configured: readonly PayloadKey[] | undefined; readonly dataDir: string }): Promise<readonly PayloadKey[]> {
  if (options.configured) return options.configured;
  const file = path.join(options.dataDir, 'payload-key.txt');
  try {
    return parsePayloadKeys(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = generatePayloadKey();
  await mkdir(options.dataDir, { recursive: true });
  try {
    await writeFile(file, `${key.id}:${key.key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return [key];
  } catch (error) {
    // Another process of the same run wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return parsePayloadKeys(await readFile(file, 'utf8'));
    throw error;
  }
}
