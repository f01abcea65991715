export * from './poll-events.schema';
export * from './run-event.schema';
export * from './run-file.schema';

/**
 * The domain's own topic: runs keyed by target repo (one consumer orders a repo's runs), polled
 * session statuses and PR lists beside them. Kept forever, like every source topic.
 */
export const CODESCAN_TOPIC = 'telemetry.codescan.v1';
