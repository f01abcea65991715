import { Global, Module } from '@nestjs/common';
import { DEAD_LETTER_SINK, StoreDeadLetterSink } from '@th/projection';
import { EVENT_BUS } from './event-bus';
import { InProcessBus } from './in-process.bus';

/** Embedded mode: publishing stores the projection in the same process. */
@Global()
@Module({
  providers: [
    { provide: DEAD_LETTER_SINK, useClass: StoreDeadLetterSink },
    { provide: EVENT_BUS, useClass: InProcessBus },
  ],
  exports: [EVENT_BUS],
})
export class InProcessBusModule {}
