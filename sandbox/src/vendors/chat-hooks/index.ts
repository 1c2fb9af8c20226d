export { mountTeamsHooks } from './teams';
export { mountSlackHooks } from './slack';
export { mountPagingHook, verifyPagingSignature, PAGING_SIGNATURE_HEADER } from './paging';
