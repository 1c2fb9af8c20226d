/** Receives one record per vendor HTTP call; services turn it into `desk_vendor_*` metrics. */
export type VendorCallObserver = (info: { vendor: string; method: string; path: string; status: number | null; ms: number }) => void;
