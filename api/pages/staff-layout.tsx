/** The staff pages' frame: the service's header with each role's links, shared by every staff area. */
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

/** Where each role's work is: the links in every staff page's header; signing in lands on the first. */
export const STAFF_LINKS: Record<StaffRole, readonly [StaffLink, ...StaffLink[]]> = {
  clinician: [REVIEW],
  provider: [BOOKINGS],
  regional: [SHORTFALLS, CAMPAIGNS, FUNDS],
  finance: [CLAIMS, FUNDS, CAMPAIGNS],
  admin: [SHORTFALLS, CAMPAIGNS, FUNDS, CLAIMS, BOOKINGS, AUDIT],
};

export function StaffLayout(props: { title: string; staff?: StaffUser; children: Child }) {
  return (
    <Layout title={props.title} service={SERVICE}>
      {props.staff ? (
        <p class="nhsuk-body-s">
          Signed in as {props.staff.name} ({props.staff.role}) ·{' '}
          <nav aria-label="Your pages" style="display:inline">
            {STAFF_LINKS[props.staff.role].map((link) => (
              <>
                <a href={link.href}>{link.label}</a>{' '}·{' '}
              </>
            ))}
          </nav>
          <form method="post" action="/staff/sign-out" style="display:inline">
            <button type="submit" class="nhsuk-link" style="background:none;border:0;padding:0;text-decoration:underline;cursor:pointer;font:inherit">
              Sign out
            </button>
          </form>
        </p>
      ) : null}
      {props.children}
    </Layout>
  );
}
