/**
 * A request intake refuses, with the HTTP status and a reason a sender can act on.
 * Thrown before anything is stored: a rejected delivery leaves no row behind.
 */
export class IntakeRejection extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'IntakeRejection';
  }
}

/** Formats a zod error as "field: problem; field: problem" so a 4xx names what is wrong. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(body)'}: ${i.message}`)
    .join('; ');
}
