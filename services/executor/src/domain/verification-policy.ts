/**
 * How identity verification behaves for one client: code lifetime, how many wrong answers are allowed,
 * code length, and how long a written approval may take. Resolved once per plan (the desk's defaults,
 * overridden per client in the desk configuration) and stored with the plan, so a change of
 * configuration never alters a code already sent.
 */
export interface VerificationPolicy {
  codeTtlMs: number;
  maxAttempts: number;
  codeDigits: number;
  approvalTtlMs: number;
}

export const DEFAULT_VERIFICATION: VerificationPolicy = {
  codeTtlMs: 15 * 60 * 1000,
  maxAttempts: 3,
  codeDigits: 6,
  approvalTtlMs: 24 * 3600 * 1000,
};

/** A client's overrides as the desk configuration states them (seconds / hours, every field optional). */
export interface VerificationOverrides {
  codeTtlSeconds?: number;
  maxAttempts?: number;
  codeDigits?: number;
  approvalTtlHours?: number;
}

export function resolvePolicy(defaults: VerificationPolicy, o: VerificationOverrides | null | undefined): VerificationPolicy {
  return {
    codeTtlMs: o?.codeTtlSeconds !== undefined ? o.codeTtlSeconds * 1000 : defaults.codeTtlMs,
    maxAttempts: o?.maxAttempts ?? defaults.maxAttempts,
    codeDigits: o?.codeDigits ?? defaults.codeDigits,
    approvalTtlMs: o?.approvalTtlHours !== undefined ? o.approvalTtlHours * 3600_000 : defaults.approvalTtlMs,
  };
}

/** Cases stored before the policy was part of the plan use the defaults. */
export function policyOf(plan: { verification?: VerificationPolicy | null }): VerificationPolicy {
  return plan.verification ?? DEFAULT_VERIFICATION;
}
