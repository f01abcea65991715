// The JavaScript TelemetryClient class published in the minigem-telemetry README, unchanged, so the
// end-to-end suite proves an existing client works against the gateway. Only the export is ours.
class TelemetryClient {
  constructor(endpoint, userAgent = 'MyApp/1.0') {
    this.endpoint = endpoint;
    this.userAgent = userAgent;
    this.userId = this.generateUserId();
  }

  generateUserId() {
    // Generate a stable anonymous ID
    return 'user_' + Math.random().toString(36).substr(2, 9);
  }

  async track(event, metadata = {}) {
    try {
      const payload = {
        schema: 'jwc.v1',
        anon: this.userId,
        evt: event,
        t: Date.now(),
        os: navigator.platform,
        ext: '1.0.0', // Your app version
        m: metadata,
      };

      await fetch(this.endpoint + '/t', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(payload),
      });
    } catch (err) {
      console.warn('Telemetry failed:', err);
    }
  }
}

module.exports = { TelemetryClient };
