import { PlatformEnv } from './config';

/** The validated environment (the platform's variables plus whatever the service's schema added). */
export class DeskConfigService<E extends PlatformEnv = PlatformEnv> {
  constructor(readonly env: E) {}

  get<K extends keyof E>(key: K): E[K] {
    return this.env[key];
  }
}
