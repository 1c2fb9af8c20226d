import { PlannedAction } from '@desk/contracts';

/** What the end user reads: plain words, no secrets, no internal ids or hostnames. */
export function customerLine(a: PlannedAction): string {
  const p = a.params;
  const s = (v: unknown) => String(v ?? '');
  switch (a.action) {
    case 'reset_password': return 'Your password has been reset. A temporary password was sent by text message to your mobile number on file; you will be asked to choose a new one when you sign in.';
    case 'unlock_account': return 'Your account is unlocked. If your phone still has an old password saved for mail, update it there so the account does not lock again.';
    case 'reenroll_mfa': return 'Your old sign-in methods were removed. The next time you sign in from a trusted office computer you will be asked to set up Microsoft Authenticator on your new phone.';
    case 'add_to_group': return `Access granted: you are now in ${s(p.group)}. File-share access applies at your next sign-in or restart; Teams within about an hour.`;
    case 'remove_from_group': return `The membership in ${s(p.group)} was removed.`;
    case 'add_to_distribution_list': return `You were added to the ${s(p.group)} list. Messages start arriving within about an hour; earlier messages are not re-sent.`;
    case 'install_software': return `${s(p.software)} is now installed on your computer. If it does not appear in the Start menu, sign out and back in.`;
    case 'reinstall_software': return `${s(p.software)} was reinstalled on your computer. Please open it again and reply to this ticket if the problem persists.`;
    case 'restart_service': return 'The stopped service was restarted and is running again.';
    case 'clear_print_queue': return 'The stuck print jobs were cleared. Please send your document to the printer again.';
    case 'disable_account': return 'The account was disabled and signed out everywhere, as requested.';
    case 'create_account': return 'The new account was created. The manager on file received the temporary password by text message.';
  }
}
