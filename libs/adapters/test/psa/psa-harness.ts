import { resolve } from 'node:path';
import { loadDeskConfig, type DeskConfig } from '../../src/config/desk-config';
import type { PsaConnection } from '../../src/config/connections';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../../sandbox/src/core/sandbox';

/** The client of the demo world on each PSA, as config/desk.sandbox.yaml assigns them. */
export const CLIENT_OF: Record<PsaConnection['system'], { identifier: string; email: string; otherEmail: string }> = {
  connectwise: { identifier: 'ContosoDental', email: 'maria.chen@contoso-dental.example', otherEmail: 'raj.patel@contoso-dental.example' },
  halopsa: { identifier: 'TailspinMfg', email: 'robert.hayes@tailspin-mfg.example', otherEmail: 'michael.dunn@tailspin-mfg.example' },
  autotask: { identifier: 'RiverbendFdn', email: 'angela.moreno@riverbend-foundation.example', otherEmail: 'ben.carter@riverbend-foundation.example' },
};

export interface PsaSandbox {
  sb: RunningSandbox;
  config: DeskConfig;
  conn(system: PsaConnection['system']): PsaConnection;
  /** Seq to read the call log from. */
  mark(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * An in-process sandbox on a random port with its own schema; the connections come from the shipped
 * config/desk.sandbox.yaml with SANDBOX_URL pointing at it: switching vendor is configuration only.
 */
export async function startPsaSandbox(opts: SandboxOptions = {}): Promise<PsaSandbox> {
  const schema = `psat_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  const sb = await startSandbox({ schema, port: 0, ...opts });
  const previous = process.env.SANDBOX_URL;
  process.env.SANDBOX_URL = sb.url;
  const config = loadDeskConfig(resolve(__dirname, '../../../../config/desk.sandbox.yaml'));
  if (previous === undefined) delete process.env.SANDBOX_URL;
  else process.env.SANDBOX_URL = previous;
  return {
    sb, config,
    conn: (system) => {
      const c = config.clients.find((x) => x.identifier === CLIENT_OF[system].identifier);
      if (!c || c.psa.system !== system) throw new Error(`desk.sandbox.yaml does not put ${CLIENT_OF[system].identifier} on ${system}`);
      return c.psa;
    },
    mark: () => sb.calls.lastSeq(),
    stop: () => sb.close({ dropSchema: true }),
  };
}

export const FAST_RETRY = { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 };
