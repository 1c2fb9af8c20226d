export interface PsaClientOptions {
  timeoutMs?: number;
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Records per page when listing (vendor maximum otherwise); small values exercise paging in tests. */
  pageSize?: number;
}
