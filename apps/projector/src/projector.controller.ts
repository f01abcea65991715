import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@th/contracts';
import { BatchProjector, type ConsumedBatch } from '@th/projection';

/** Each topic's batches go to the projector; it resolves once they are stored or dead-lettered. */
@Controller()
export class ProjectorController {
  constructor(private readonly batches: BatchProjector) {}

  @EventPattern(TOPICS.reports)
  reports(@Payload() batch: ConsumedBatch): Promise<void> {
    return this.batches.handle(batch);
  }

  @EventPattern(TOPICS.events)
  events(@Payload() batch: ConsumedBatch): Promise<void> {
    return this.batches.handle(batch);
  }
}
