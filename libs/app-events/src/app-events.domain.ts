import { join } from 'node:path';
import { TOPICS, type TelemetryDomain } from '@th/contracts';
import { APP_EVENTS_CONFIG } from './config';
import { APP_EVENT_BATCH_KIND } from './contract/app-event-batch.schema';
import {
  APP_EVENTS_RESOLVERS,
  AppEventsApiModule,
  AppEventsGatewayModule,
  AppEventsProjectorModule,
} from './app-events.modules';

/** App usage events in the `jwc.v1` format at `POST /t`, and the stats read from them. */
export const appEventsDomain: TelemetryDomain = {
  name: 'app-events',
  envelopes: [{ kind: APP_EVENT_BATCH_KIND, topic: TOPICS.events }],
  migrations: join(__dirname, '..', 'migrations'),
  config: APP_EVENTS_CONFIG,
  resolvers: APP_EVENTS_RESOLVERS,
  gateway: (context) => AppEventsGatewayModule.forRoot(context),
  projector: () => AppEventsProjectorModule,
  api: () => AppEventsApiModule,
};
