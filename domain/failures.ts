/**
 * The one set of failures every layer speaks: a service that finds nothing, a person acting outside
 * their role or scope, input that breaks a rule (naming its field), or a change the state of things
 * does not allow, or a service it needs that did not answer in time. Each carries a `reason`, a stable code that surfaces turn into their own words
 * (HTTP statuses in api/errors.ts, the patient's sentences on the offer page) without reading the
 * English message. Workflows and activities send the same kinds through Temporal as the failure's
 * type, with the reason and field in its details (workflows/failures.ts builds them;
 * services/workflow-updates.ts reads them back).
 */

export const FAILURE_KINDS = ['NotFound', 'Forbidden', 'Invalid', 'Conflict', 'Unavailable'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** What a failure carries besides its kind and message, as it crosses Temporal in a failure's details. */
export interface FailureDetails {
  readonly reason: string;
  /** The field at fault (dotted path), for Invalid. */
  readonly field?: string;
  /** Anything more a caller may show: each problem of a launch, the id of what already exists. */
  readonly details?: unknown;
}

export abstract class DomainError extends Error {
  abstract readonly kind: FailureKind;
  readonly reason: string;
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(message: string, { reason, field, details }: FailureDetails) {
    super(message);
    this.reason = reason;
    this.field = field;
    this.details = details;
  }
}

/** Nothing of that id, or nothing the caller may see (others' records answer as unknown). */
export class NotFound extends DomainError {
  readonly kind = 'NotFound';
  override readonly name = 'NotFound';
  constructor(message: string, reason = 'not_found') {
    super(message, { reason });
  }
}

/** The caller's role or scope does not allow this. */
export class Forbidden extends DomainError {
  readonly kind = 'Forbidden';
  override readonly name = 'Forbidden';
  constructor(message: string, reason = 'forbidden') {
    super(message, { reason });
  }
}

/** Input that breaks a rule; `field` names what is wrong. */
export class Invalid extends DomainError {
  readonly kind = 'Invalid';
  override readonly name = 'Invalid';
  constructor(message: string, options: { field?: string; reason?: string; details?: unknown } = {}) {
    super(message, { reason: options.reason ?? 'invalid', field: options.field, details: options.details });
  }
}

/** The change is not allowed as things stand (wrong state, already done, already exists). */
export class Conflict extends DomainError {
  readonly kind = 'Conflict';
  override readonly name = 'Conflict';
  constructor(message: string, reason = 'conflict', details?: unknown) {
    super(message, { reason, details });
  }
}

/**
 * What the change needs did not answer in time (Temporal, or no worker taking the workflow's tasks):
 * the change may not have been taken; the same request again, a little later, is the way on.
 */
export class Unavailable extends DomainError {
  readonly kind = 'Unavailable';
  override readonly name = 'Unavailable';
  constructor(message: string, reason = 'unavailable') {
    super(message, { reason });
  }
}

export function isFailureKind(type: string | undefined | null): type is FailureKind {
  return (FAILURE_KINDS as readonly (string | undefined | null)[]).includes(type);
}

/** The domain error a failure of this kind, message and details stands for. */
export function domainError(kind: FailureKind, message: string, details: Partial<FailureDetails> = {}): DomainError {
  switch (kind) {
    case 'NotFound':
      return new NotFound(message, details.reason);
    case 'Forbidden':
      return new Forbidden(message, details.reason);
    case 'Invalid':
      return new Invalid(message, details);
    case 'Conflict':
      return new Conflict(message, details.reason, details.details);
    case 'Unavailable':
      return new Unavailable(message, details.reason);
  }
}
