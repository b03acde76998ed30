/**
 * Reading Temporal's histories in clear, for an operator: the payloads the Temporal UI and
 * `temporal workflow show --codec-endpoint` send to /codec/decode are decoded with the codecs this
 * service's own Temporal client encodes with (temporal/codec.ts), for its own namespace only. Every
 * decode is audited with how many payloads it opened, never what they hold.
 */
import type { Payload } from '@temporalio/common';
import { decode } from '@temporalio/common/lib/internal-non-workflow';
import { audit } from '../db/repositories/audit';
import type { StaffUser } from '../db/schema';
import { Invalid } from '../domain/failures';
import { staffActor } from './access';
import type { ServiceDeps } from './context';

export interface DecodeRequest {
  /** The namespace the payloads were read from (the UI's X-Namespace), when the caller says. */
  readonly namespace?: string;
  readonly payloads: readonly Payload[];
}

/** The payloads decoded, in order; one that cannot be decrypted fails them all, naming it. */
export async function decodePayloads(deps: Pick<ServiceDeps, 'db' | 'temporal'>, staff: StaffUser, request: DecodeRequest): Promise<Payload[]> {
  const { namespace, loadedDataConverter } = deps.temporal.options;
  if (request.namespace !== undefined && request.namespace !== namespace) {
    throw new Invalid(`this service's payloads are in namespace ${namespace}, not ${request.namespace}`, { field: 'X-Namespace', reason: 'other_namespace' });
  }
  const decoded = await Promise.all(
    request.payloads.map(async (payload, index) => {
      try {
        const [plain] = await decode(loadedDataConverter.payloadCodecs, [payload]);
        return plain!;
      } catch (error) {
        throw new Invalid(`payload ${index} cannot be decrypted: ${(error as Error).message}`, { field: `payloads.${index}`, reason: 'undecryptable_payload' });
      }
    }),
  );
  await audit(deps.db, { actor: staffActor(staff), action: 'codec.decode', subject: `namespace:${namespace}`, detail: { payloads: decoded.length } });
  return decoded;
}
