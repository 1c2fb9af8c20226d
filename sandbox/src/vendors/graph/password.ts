/** Entra's default password rule for cloud users: 8-256 characters, three of the four character classes. */
export function meetsComplexity(pw: string): boolean {
  if (pw.length < 8 || pw.length > 256) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
  return classes >= 3;
}

export const COMPLEXITY_MESSAGE = 'The specified password does not comply with password complexity requirements. Please provide a different password.';

export interface PasswordProfileInput {
  password?: unknown;
  forceChangePasswordNextSignIn?: unknown;
  forceChangePasswordNextSignInWithMfa?: unknown;
}

/** A valid passwordProfile, or the 400 message Graph gives. */
export function checkPasswordProfile(p: unknown): { ok: true; force: boolean } | { ok: false; message: string } {
  if (!p || typeof p !== 'object') return { ok: false, message: "Invalid value specified for property 'passwordProfile' of resource 'User'." };
  const prof = p as PasswordProfileInput;
  if (typeof prof.password !== 'string' || !prof.password) return { ok: false, message: "Invalid value specified for property 'passwordProfile.password' of resource 'User'." };
  if (!meetsComplexity(prof.password)) return { ok: false, message: COMPLEXITY_MESSAGE };
  return { ok: true, force: prof.forceChangePasswordNextSignIn === undefined ? true : prof.forceChangePasswordNextSignIn === true };
}
