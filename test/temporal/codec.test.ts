import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, generatePayloadKey, loadPayloadKeys, parsePayloadKeys } from '../../temporal/codec';

const text = new TextDecoder();

describe('EncryptionCodec', () => {
  it('round-trips any payload and never leaves its content readable', async () => {
    const codec = new EncryptionCodec([generatePayloadKey()]);
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 6 }), async (value) => {
        const payload = defaultPayloadConverter.toPayload({ secret: value });
        const [encoded] = await codec.encode([payload]);
        expect(text.decode(encoded!.metadata!.encoding)).toBe('binary/encrypted');
        expect(Buffer.from(encoded!.data!).includes(Buffer.from(JSON.stringify(value)))).toBe(false);
        const [decoded] = await codec.decode([encoded!]);
        expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ secret: value });
      }),
      { numRuns: 50 },
    );
  });

  it('decrypts with an older key after rotation, and refuses an unknown key or tampered data', async () => {
    const [oldKey, newKey] = [generatePayloadKey(), generatePayloadKey()];
    const before = new EncryptionCodec([oldKey]);
    const [sealed] = await before.encode([defaultPayloadConverter.toPayload('9990000018')]);

    const rotated = new EncryptionCodec([newKey, oldKey]);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([sealed!]))[0]!)).toBe('9990000018');
    const [resealed] = await rotated.encode([defaultPayloadConverter.toPayload('x')]);
    expect(text.decode(resealed!.metadata!['encryption-key-id'])).toBe(newKey.id);

    await expect(new EncryptionCodec([newKey]).decode([sealed!])).rejects.toThrow(`no payload key with id ${oldKey.id}`);
    const tampered = { ...sealed!, data: Buffer.from(sealed!.data!).map((byte, index) => (index === 20 ? byte ^ 1 : byte)) };
    await expect(before.decode([tampered])).rejects.toThrow();
  });

  it('passes unencrypted payloads through untouched', async () => {
    const plain = defaultPayloadConverter.toPayload({ a: 1 });
    expect(await new EncryptionCodec([generatePayloadKey()]).decode([plain])).toEqual([plain]);
  });
});

describe('payload keys', () => {
  it('parses id:base64 lists and names the bad entry', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(parsePayloadKeys(`k1:${key}, k2:${key}`).map((entry) => entry.id)).toEqual(['k1', 'k2']);
    expect(() => parsePayloadKeys(`k1:${key},nokey`)).toThrow('entry 2 must be id:base64key');
    expect(() => parsePayloadKeys('k1:c2hvcnQ=')).toThrow('entry 1 (k1) must be 32 bytes in base64, got 5');
    expect(() => parsePayloadKeys(`k1:${key.slice(0, -2)}!!`)).toThrow('entry 1 (k1) must be 32 bytes in base64');
    expect(() => parsePayloadKeys(`k1:${key},k2:${key},k1:${key}`)).toThrow('key id k1 is used twice');
    expect(() => parsePayloadKeys(`:${key},k2:c2hvcnQ=`)).toThrow('entry 1 must be id:base64key; entry 2 (k2) must be 32 bytes in base64, got 5');
  });

  it('generates one dev key for the embedded run and keeps it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bt-keys-'));
    const first = await loadPayloadKeys({ configured: undefined, dataDir });
    const second = await loadPayloadKeys({ configured: undefined, dataDir });
    expect(second).toEqual(first);
    expect((await readFile(path.join(dataDir, 'payload-key.txt'), 'utf8')).startsWith(first[0]!.id)).toBe(true);
  });
});
