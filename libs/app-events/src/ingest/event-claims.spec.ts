import type { AppEventsConfig } from '../config';
import type { AppEvent } from '../contract/app-event-batch.schema';
import { type Claimable, EventClaims } from './event-claims';
import { type StoredEvents, eventFingerprint } from './stored-events';

const stored = (evt: string, id = 'c:order-1'): AppEvent => ({
  eventId: id,
  ts: '2026-02-11T10:00:00.000Z',
  evt,
  anonHash: 'a'.repeat(64),
  os: 'linux',
  ext: '1.0.0',
  vscode: '1.90.0',
  meta: '{}',
  country: '',
  region: '',
  city: '',
});

const event = (evt: string): Claimable => {
  const e = stored(evt);
  return { event: e, fingerprint: eventFingerprint(e) };
};

/** A store holding `stored`, whose lookups answer only when `answer()` is called. */
function slowStore(held: AppEvent[]) {
  const pending: (() => void)[] = [];
  const store: StoredEvents = {
    fingerprints: (events) =>
      new Promise((resolve) =>
        pending.push(() =>
          resolve(
            new Map(
              held
                .filter((s) => events.some((e) => e.eventId === s.eventId))
                .map((s) => [s.eventId, eventFingerprint(s)]),
            ),
          ),
        ),
      ),
  };
  return { store, answer: () => pending.splice(0).forEach((go) => go()) };
}

const config = { LOG_DIR: undefined } as AppEventsConfig;

describe('EventClaims', () => {
  it('refuses other content under a stored id and acknowledges an unchanged resend without storing it', async () => {
    const { store, answer } = slowStore([stored('purchase.real')]);
    const claims = new EventClaims(store, config);
    const [fake, resend] = [claims.claim([event('purchase.fake')]), claims.claim([event('purchase.real')])];
    answer();
    const [f, r] = await Promise.all([fake, resend]);
    expect([...f.conflicts]).toEqual(['c:order-1']);
    expect(f.toStore).toEqual([]);
    // The fake was in flight when the resend came: the store, not the order, decides.
    expect([...r.conflicts]).toEqual([]);
    expect(r.toStore).toEqual([]);
  });

  it('lets the first of two new payloads under one id win while it is in flight', async () => {
    const { store, answer } = slowStore([]);
    const claims = new EventClaims(store, config);
    const first = claims.claim([event('race.a')]);
    const second = claims.claim([event('race.b')]);
    answer();
    const [a, b] = await Promise.all([first, second]);
    expect(a.toStore.map((e) => e.evt)).toEqual(['race.a']);
    expect([...b.conflicts]).toEqual(['c:order-1']);
    a.release();
    b.release();
  });

  it('frees an id once its request ends, so the next claim asks the store again', async () => {
    const { store, answer } = slowStore([]);
    const claims = new EventClaims(store, config);
    const first = claims.claim([event('once')]);
    answer();
    (await first).release();
    const again = claims.claim([event('other')]);
    answer();
    expect([...(await again).conflicts]).toEqual([]);
  });
});
