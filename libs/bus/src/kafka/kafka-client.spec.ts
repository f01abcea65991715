import { logLevel } from 'kafkajs';
import { kafkaLogTriage } from './kafka-client';

/** Lines kafkajs logged on healthy cluster starts (taken from CI runs), and real failures. */
describe('kafka log triage', () => {
  it('logs a healthy broker warm-up as information', () => {
    const severity = kafkaLogTriage();
    expect(
      [
        [
          logLevel.ERROR,
          'Response GroupCoordinator(key: 10, version: 2)',
          'The group coordinator is not available',
        ],
        [
          logLevel.ERROR,
          'Response InitProducerId(key: 22, version: 1)',
          "The coordinator is loading and hence can't process requests for this group",
        ],
        [logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', 'Topic creation errors'],
        [
          logLevel.ERROR,
          'Response ListOffsets(key: 2, version: 3)',
          'This server is not the leader for that topic-partition',
        ],
        [
          logLevel.ERROR,
          "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group",
          undefined,
        ],
        [logLevel.ERROR, 'Restarting the consumer in 100ms', undefined],
        [
          logLevel.WARN,
          'Limiting retries for the idempotent producer may invalidate EoS guarantees',
          undefined,
        ],
      ].map(([level, message, error]) => severity(level as logLevel, message as string, error)),
    ).toEqual(['info', 'info', 'info', 'info', 'info', 'info', 'info']);
  });

  it('keeps real failures loud, a restart after one included', () => {
    const severity = kafkaLogTriage();
    expect(severity(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092', undefined)).toBe(
      'error',
    );
    expect(
      severity(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded: Connection error', undefined),
    ).toBe('error');
    expect(severity(logLevel.ERROR, 'Restarting the consumer in 1000ms', undefined)).toBe('error');
    expect(severity(logLevel.WARN, 'Some other warning', undefined)).toBe('warn');
  });
});
