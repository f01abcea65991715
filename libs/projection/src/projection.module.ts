import { type DynamicModule, Global, Module, type Type } from '@nestjs/common';
import { BATCH_HANDLER, DEAD_LETTER_SINK, type DeadLetterSink } from '@th/bus';
import { BatchProjector } from './batch-projector';
import { ProjectionRegistry } from './projection-registry';
import { ProjectorService } from './projector.service';

/**
 * The projector machinery shared by every mode: the batch handler the bus's consumer path calls,
 * the registry domains register their projections into, and where dead letters go (the
 * dead_letters table in embedded mode, the DLQ topic in distributed mode).
 */
@Global()
@Module({})
export class ProjectionModule {
  static forRoot(deadLetters: Type<DeadLetterSink>): DynamicModule {
    return {
      module: ProjectionModule,
      providers: [
        ProjectionRegistry,
        ProjectorService,
        BatchProjector,
        { provide: BATCH_HANDLER, useExisting: BatchProjector },
        { provide: DEAD_LETTER_SINK, useClass: deadLetters },
      ],
      exports: [ProjectionRegistry, BATCH_HANDLER, DEAD_LETTER_SINK],
    };
  }
}
