import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { EnvelopeRoute } from '@th/contracts';
import { ENVELOPE_ROUTES, envelopeRoutesProvider } from './envelope-routes';
import { EVENT_BUS } from './event-bus';
import { InProcessBus } from './in-process.bus';

/**
 * Embedded mode: publishing stores the projection in the same process. The batch handler and the
 * dead-letter sink come from the projection module.
 */
@Global()
@Module({})
export class InProcessBusModule {
  static forRoot(routes: readonly EnvelopeRoute[]): DynamicModule {
    return {
      module: InProcessBusModule,
      providers: [envelopeRoutesProvider(routes), { provide: EVENT_BUS, useClass: InProcessBus }],
      exports: [EVENT_BUS, ENVELOPE_ROUTES],
    };
  }
}
