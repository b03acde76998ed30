/**
 * Staff access: a bearer token (stored hashed) names a user with a role and a scope. Every staff route
 * sits behind requireStaff; requireRole narrows it. Scope checks (this trust, this region) are made by
 * each use case against the records it touches (services/access.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Db } from '../db/database';
import { findStaffUserByToken } from '../db/repositories/staff';
import { hashToken } from '../db/tokens';
import type { StaffRole } from '../db/schema';
import type { AppEnv } from './context';
import { ApiError } from './errors';

/** The cookie the staff pages keep the signed-in token in (httpOnly, SameSite=Strict). */
export const STAFF_COOKIE = 'bt_staff';

export function bearerToken(c: Context): string | undefined {
  return c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

/** Whether a token given is a configured secret, in time that does not depend on how much of it matches (both are hashed to one length first). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(hashToken(given), hashToken(expected));
}

/**
 * A staff user by bearer token; with `cookie`, also by the staff pages' sign-in cookie, for a browser
 * app that sends credentials but cannot add a header (the Temporal UI calling /codec).
 */
export function requireStaff(db: Db, options: { readonly cookie?: boolean } = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c) ?? (options.cookie ? getCookie(c, STAFF_COOKIE) : undefined);
    if (!token) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new ApiError(401, 'unauthorized', 'a staff bearer token is required (Authorization: Bearer <token>)');
    }
    const staff = await findStaffUserByToken(db, token);
    if (!staff) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new ApiError(401, 'unauthorized', 'the bearer token is unknown, expired or revoked');
    }
    c.set('staff', staff);
    await next();
  });
}

/** For the staff pages: the token from the sign-in cookie (or a bearer header); without one, to the sign-in page. */
export function requireStaffPage(db: Db) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c) ?? getCookie(c, STAFF_COOKIE);
    const staff = token ? await findStaffUserByToken(db, token) : undefined;
    if (!staff) return c.redirect(`/staff/sign-in?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`);
    c.set('staff', staff);
    await next();
  });
}

/** A staff user asking for what their role may not do: the API says it in codes, a page in words (api/pages/error.tsx). */
export class RoleRefused extends ApiError {
  constructor(
    readonly roles: readonly StaffRole[],
    readonly role: StaffRole,
  ) {
    super(403, 'forbidden', `this needs one of the roles: ${roles.join(', ')}; you are ${role}`);
  }
}

export function requireRole(...roles: StaffRole[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const staff = c.get('staff');
    if (!roles.includes(staff.role)) throw new RoleRefused(roles, staff.role);
    await next();
  });
}
