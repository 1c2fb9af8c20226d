export { KNOWLEDGE_APP, KNOWLEDGE_ENV } from './config';
export const SYNC_SCHEDULER = Symbol('knowledge.sync-scheduler');
