import { Module } from '@nestjs/common';
import { DashboardSiteController } from './dashboard-site.controller';

/** Serves the analysts' dashboard at /dashboard/ (the api and embedded apps). */
@Module({ controllers: [DashboardSiteController] })
export class DashboardSiteModule {}
