/** The staff pages' frame: the NHS header with who is signed in, each role's links and sign out, shared by every staff area. */
import type { Child } from 'hono/jsx';
import type { StaffRole, StaffUser } from '../../db/schema';
import { Layout } from './layout';

const SERVICE = 'Backlog Transfer';

interface StaffLink {
  readonly href: string;
  readonly label: string;
}
const REVIEW = { href: '/staff/review', label: 'Review queue' };
const BOOKINGS = { href: '/staff/bookings', label: 'Bookings' };
const SHORTFALLS = { href: '/staff/shortfalls', label: 'Shortfalls' };
const CAMPAIGNS = { href: '/staff/campaigns', label: 'Campaigns' };
const FUNDS = { href: '/staff/funds', label: 'Funds' };
const CLAIMS = { href: '/staff/claims', label: 'Claims' };
const AUDIT = { href: '/staff/audit', label: 'Audit log' };
const MESSAGES = { href: '/staff/messages', label: 'Messages not delivered' };

/** Where each role's work is: the links in every staff page's header; signing in lands on the first. */
export const STAFF_LINKS: Record<StaffRole, readonly [StaffLink, ...StaffLink[]]> = {
  clinician: [REVIEW],
  provider: [BOOKINGS],
  regional: [SHORTFALLS, CAMPAIGNS, FUNDS],
  finance: [CLAIMS, FUNDS, CAMPAIGNS],
  admin: [SHORTFALLS, CAMPAIGNS, FUNDS, CLAIMS, BOOKINGS, MESSAGES, AUDIT],
};

/** Each role as people say it: whom a page is for, and who is signed in. */
export const ROLE_WORDS: Record<StaffRole, { readonly one: string; readonly many: string }> = {
  clinician: { one: 'a clinician', many: 'clinicians' },
  provider: { one: 'an independent-sector provider', many: 'independent-sector providers' },
  regional: { one: 'a member of a regional team', many: 'regional teams' },
  finance: { one: 'a member of the finance team', many: 'the finance team' },
  admin: { one: 'an administrator', many: 'administrators' },
};

export function StaffLayout(props: { title: string; staff?: StaffUser; children: Child }) {
  const staff = props.staff;
  const header = staff
    ? {
        home: STAFF_LINKS[staff.role][0].href,
        account: { name: `${staff.name} (${staff.role})`, signOutAction: '/staff/sign-out' },
        navigation: STAFF_LINKS[staff.role],
      }
    : { home: '/staff/sign-in' };
  return (
    <Layout title={props.title} service={SERVICE} header={header}>
      {props.children}
    </Layout>
  );
}
