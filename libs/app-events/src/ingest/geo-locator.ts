import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type CityResponse, type Reader, open } from 'maxmind';
import { APP_EVENTS_SETTINGS, type AppEventsConfig } from '../config';

export interface GeoLocation {
  /** ISO 3166-1 alpha-2, e.g. `DE`. */
  country: string;
  /** ISO 3166-2 subdivision code, e.g. `BE`. */
  region: string;
  /** City name in English. */
  city: string;
}

export const NO_LOCATION: GeoLocation = Object.freeze({ country: '', region: '', city: '' });

/** Country, region and city of an IP from a MaxMind GeoLite2-City database, when GEO_DB is set. */
@Injectable()
export class GeoLocator implements OnModuleInit {
  private readonly logger = new Logger('geo');
  private reader: Reader<CityResponse> | undefined;

  constructor(@Inject(APP_EVENTS_SETTINGS) private readonly config: AppEventsConfig) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.GEO_DB) return;
    try {
      this.reader = await open<CityResponse>(this.config.GEO_DB);
      this.logger.log({ msg: 'GeoIP database loaded', file: this.config.GEO_DB });
    } catch (error) {
      throw new Error(
        `GEO_DB: cannot open ${this.config.GEO_DB}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  locate(ip: string): GeoLocation {
    if (!this.reader || !ip) return NO_LOCATION;
    let record: CityResponse | null;
    try {
      record = this.reader.get(ip);
    } catch {
      return NO_LOCATION;
    }
    if (!record) return NO_LOCATION;
    return {
      country: record.country?.iso_code ?? record.registered_country?.iso_code ?? '',
      region: record.subdivisions?.[0]?.iso_code ?? '',
      city: record.city?.names?.en ?? '',
    };
  }
}
