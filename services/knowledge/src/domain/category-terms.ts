import { RunbookCategory } from '@desk/contracts';

/**
 * How people describe each runbook category in a ticket. The categories are a closed set fixed in the
 * contracts, so this thesaurus travels with them: it is indexed with each categorised document (title
 * weight) so a ticket saying "she is leaving, last day Friday" finds the offboarding page even when the page
 * itself only says "offboarding". Documents are never matched on these words alone: the rest of the ranking
 * (their own title, headings, body; trigram) still decides between documents of one category.
 */
export const CATEGORY_TERMS: Record<RunbookCategory, string> = {
  password_reset: 'password reset forgot forgotten expired temporary password change cannot sign in log in',
  account_unlock: 'account unlock locked out lockout too many attempts unlock',
  mfa_reenroll: 'mfa multi-factor two-factor 2fa authenticator new phone lost phone codes re-enroll reenroll approve sign-in',
  group_membership: 'group membership access permission folder share security group add remove member rights',
  distribution_list: 'distribution list mailing list email list newsletter announcements members',
  software_install: 'install installation new software application app download setup program',
  software_reinstall: 'reinstall repair crash crashes crashing broken corrupt error freezes fails to open not opening',
  vpn_connectivity: 'vpn remote access tunnel connect home working remotely portal',
  wifi_connectivity: 'wifi wi-fi wireless ssid network dropping signal guest',
  printer: 'printer print printing print queue jobs stuck toner paper',
  onboarding: 'onboarding new hire new employee new staff starts starting joining first day create account',
  offboarding: 'offboarding leaving left resign resigned resignation last day departure terminate terminated disable deactivate former employee',
  email_issue: 'email outlook mailbox mail inbox send receive sync calendar',
  service_restart: 'service stopped restart alert monitor down not running',
  security_incident: 'security incident phishing suspicious compromise compromised breach hacked clicked link malware fraud scam unexpected mfa requests',
};

export function categoryTerms(category: RunbookCategory | null): string {
  return category ? `${category.replace(/_/g, ' ')} ${CATEGORY_TERMS[category]}` : '';
}
