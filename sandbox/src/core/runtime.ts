/** What the admin API needs from the running sandbox beyond the vendor context. */
export interface SandboxRuntime {
  schema: string;
  vendors: Array<{ vendor: string; prefix: string }>;
  /** Milliseconds the initial world load took. */
  loadMs: number;
  reset(opts?: { everything?: boolean }): Promise<void>;
}
