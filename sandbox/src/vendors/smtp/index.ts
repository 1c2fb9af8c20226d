export { startSmtpSandbox, type RunningSmtp } from './smtp-sandbox';
