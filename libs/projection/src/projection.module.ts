import { Global, Module } from '@nestjs/common';
import { ProjectionRegistry } from './projection-registry';
import { ProjectorService } from './projector.service';

/** The projector machinery shared by every mode; domain modules register their projections into it. */
@Global()
@Module({
  providers: [ProjectionRegistry, ProjectorService],
  exports: [ProjectionRegistry, ProjectorService],
})
export class ProjectionModule {}
