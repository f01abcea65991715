import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@th/platform';
import { ApiKeysService } from './api-keys.service';

/** Adopts BOOTSTRAP_ADMIN_KEY at start, once the key store is open. */
@Injectable()
export class BootstrapAdminKey implements OnApplicationBootstrap {
  constructor(
    private readonly keys: ApiKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.BOOTSTRAP_ADMIN_KEY) await this.keys.adoptBootstrapKey(this.config.BOOTSTRAP_ADMIN_KEY);
  }
}
