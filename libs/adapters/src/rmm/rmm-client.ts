import { RmmSystem } from '@desk/contracts';

export interface RmmDevice {
  id: string;
  hostname: string;
  clientIdentifier: string | null;
  serial: string | null;
  assetTag: string | null;
  os: string | null;
  type: string | null;
  online: boolean;
  lastSeen: string | null;
}

export interface RmmJob {
  id: string;
  deviceId: string;
  script: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  output: string | null;
}

/** NinjaOne or Datto RMM: inventory and scripts. */
export interface RmmClient {
  readonly system: RmmSystem;
  listDevices(clientIdentifier: string): Promise<RmmDevice[]>;
  findDevice(hostnameOrSerial: string): Promise<RmmDevice | null>;
  listSoftware(deviceId: string): Promise<Array<{ name: string; version: string | null }>>;
  listServices(deviceId: string): Promise<Array<{ name: string; status: 'running' | 'stopped' }>>;
  /** Starts a script from the MSP's library by name; fails fast (typed error) on an offline device. */
  runScript(deviceId: string, script: string, parameters: Record<string, string>): Promise<RmmJob>;
  getJob(jobId: string, deviceId: string): Promise<RmmJob>;
}
