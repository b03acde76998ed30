/**
 * Who may act on what: a staff user's role and scope (a region, a trust, a provider), as every use
 * case checks it against the records it touches, and the label that names them in the audit log.
 */
import type { StaffUser } from '../db/schema';

/** Whether the user may act for this trust: admins everywhere, regional teams in their region, clinicians their trust. */
export function canActForTrust(staff: StaffUser, trust: { ods_code: string; region_code: string | null }): boolean {
  switch (staff.role) {
    case 'admin':
      return true;
    case 'regional':
    case 'finance':
      return staff.region_code === null || staff.region_code === trust.region_code;
    case 'clinician':
      return staff.trust_ods === trust.ods_code;
    case 'provider':
      return false;
  }
}

/** The region a user's funds, claims and campaigns are limited to; null for all of England (admins, national teams). */
export function regionScopeOf(staff: StaffUser): string | null {
  return staff.role === 'admin' ? null : staff.region_code;
}

export function staffActor(staff: StaffUser): string {
  return `staff:${staff.id}`;
}
