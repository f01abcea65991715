import { Global, Module } from '@nestjs/common';
import { ObservabilityController } from './observability.controller';
import { ReadinessRegistry } from './readiness';

@Global()
@Module({
  controllers: [ObservabilityController],
  providers: [ReadinessRegistry],
  exports: [ReadinessRegistry],
})
export class ObservabilityModule {}
