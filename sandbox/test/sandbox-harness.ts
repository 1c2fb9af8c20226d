import { startSandbox, type RunningSandbox, type SandboxOptions } from '../src/core/sandbox';

/** Starts a sandbox in-process on a random port with a schema of its own (dropped on stop). */
export async function startTestSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox & { stop(): Promise<void> }> {
  const schema = `sbt_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  const sb = await startSandbox({ schema, port: 0, ...opts });
  return Object.assign(sb, { stop: () => sb.close({ dropSchema: true }) });
}
