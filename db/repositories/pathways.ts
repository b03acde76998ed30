import type { Db } from '../database';

/** A pathway with the trust it belongs to, for scope checks. */
export async function getPathwayTrust(db: Db, pathwayId: number) {
  return db
    .selectFrom('pathways')
    .innerJoin('trusts', 'trusts.ods_code', 'pathways.trust_ods')
    .select(['pathways.id', 'pathways.status', 'trusts.ods_code', 'trusts.region_code'])
    .where('pathways.id', '=', pathwayId)
    .executeTakeFirst();
}
