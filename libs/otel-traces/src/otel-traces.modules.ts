import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { domainConfigProvider } from '@th/platform';
import { ProjectionRegistry } from '@th/projection';
import { OTEL_TRACES_CONFIG, OTEL_TRACES_SETTINGS, type OtelTracesConfig } from './config';
import { ExportKey, OTLP_EXPORT_KEY } from './ingest/api-key';
import { IdHasher } from './ingest/id-hasher';
import { OtlpGrpcServer } from './ingest/otlp-grpc.server';
import { OtlpHttpController } from './ingest/otlp-http.controller';
import { OTEL_ID_HASHER, OtlpIngestService } from './ingest/otlp-ingest.service';
import { otelProjection } from './projection/otel.projection';
import { OtelRepository } from './read/otel.repository';
import { OtelResolver } from './read/otel.resolver';

/** The GraphQL resolvers of this domain. */
export const OTEL_TRACES_RESOLVERS = [OtelResolver] as const;

const settings = domainConfigProvider(OTEL_TRACES_SETTINGS, OTEL_TRACES_CONFIG);

/** The processor's hash by default; a keyed one when asked (refused at start-up without its key). */
function idHasherFor(config: OtelTracesConfig): IdHasher {
  if (config.OTEL_ID_HASH === 'sha256') return IdHasher.sha256();
  if (!config.OTEL_ID_HASH_SECRET) {
    throw new Error('OTEL_ID_HASH=hmac needs OTEL_ID_HASH_SECRET (at least 16 characters) to key the hash');
  }
  return IdHasher.hmac(config.OTEL_ID_HASH_SECRET);
}

/** Gateway role: OTLP/HTTP `POST /v1/traces` and the OTLP/gRPC receiver. */
@Module({
  controllers: [OtlpHttpController],
  providers: [
    settings,
    { provide: OTEL_ID_HASHER, inject: [OTEL_TRACES_SETTINGS], useFactory: idHasherFor },
    {
      provide: OTLP_EXPORT_KEY,
      inject: [OTEL_TRACES_SETTINGS],
      useFactory: (config: OtelTracesConfig) => new ExportKey(config.OTEL_API_KEY),
    },
    OtlpIngestService,
    OtlpGrpcServer,
  ],
})
export class OtelTracesGatewayModule {}

/** Projector role: spans become `spans` rows and rows of the analytics table the router picks. */
@Module({})
export class OtelTracesProjectorModule implements OnModuleInit {
  constructor(@Inject(ProjectionRegistry) private readonly registry: ProjectionRegistry) {}

  onModuleInit(): void {
    this.registry.register(otelProjection);
  }
}

/** Api role: traces as span trees, endpoint and feature usage, active users. */
@Module({ providers: [settings, OtelRepository, ...OTEL_TRACES_RESOLVERS] })
export class OtelTracesApiModule {}
