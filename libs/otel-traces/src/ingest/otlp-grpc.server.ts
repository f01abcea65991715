import {
  type Metadata,
  Server,
  ServerCredentials,
  type ServerErrorResponse,
  type ServiceDefinition,
  type handleUnaryCall,
  status as GrpcStatus,
} from '@grpc/grpc-js';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { AccessRules } from '@th/access';
import { APP_CONFIG, type AppConfig, ReadinessRegistry, asDomainError, describeError } from '@th/platform';
import { OTEL_TRACES_SETTINGS, type OtelTracesConfig } from '../config';
import { type ExportKey, OTLP_EXPORT_KEY } from './api-key';
import { TRACE_SERVICE_EXPORT, decodeExportRequest, encodeExportResponse } from './otlp-codec';
import { OtlpIngestService } from './otlp-ingest.service';
import { grpcCodeOf } from './otlp-status';

/**
 * TraceService with raw bytes in and out: the request is decoded by the same codec as OTLP/HTTP's
 * protobuf body, so both transports share one decoder and one set of rules.
 */
const TRACE_SERVICE: ServiceDefinition = {
  Export: {
    path: `/${TRACE_SERVICE_EXPORT}`,
    requestStream: false,
    responseStream: false,
    requestSerialize: (bytes: Buffer) => bytes,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (bytes: Buffer) => bytes,
    responseDeserialize: (bytes: Buffer) => bytes,
  },
};

/** How long a shutdown waits for exports in flight before cutting them off. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * OTLP/gRPC `TraceService/Export` on OTLP_GRPC_PORT (0: off), beside the HTTP server of the app.
 * gzip-compressed messages are decompressed by grpc-js; the message size limit is the HTTP body
 * limit. Its state shows in `/ready`.
 */
@Injectable()
export class OtlpGrpcServer implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('otlp-grpc');
  private server: Server | undefined;
  private boundPort: number | undefined;

  constructor(
    private readonly ingest: OtlpIngestService,
    @Inject(OTLP_EXPORT_KEY) private readonly key: ExportKey,
    @Inject(OTEL_TRACES_SETTINGS) private readonly config: OtelTracesConfig,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
    private readonly readiness: ReadinessRegistry,
    private readonly access: AccessRules,
  ) {}

  /** The port it listens on (undefined when off or not yet bound). */
  get port(): number | undefined {
    return this.boundPort;
  }

  onModuleInit(): void {
    if (this.config.OTLP_GRPC_PORT === 0) return;
    this.readiness.register({
      name: 'otlp-grpc',
      check: () =>
        this.boundPort === undefined
          ? Promise.reject(
              new Error(`OTLP/gRPC receiver is not listening on port ${this.config.OTLP_GRPC_PORT}`),
            )
          : Promise.resolve(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.OTLP_GRPC_PORT === 0) return;
    const server = new Server({
      'grpc.max_receive_message_length': this.app.BODY_LIMIT_BYTES,
    });
    server.addService(TRACE_SERVICE, { Export: this.export });
    const address = `${this.app.HOST.includes(':') ? `[${this.app.HOST}]` : this.app.HOST}:${this.config.OTLP_GRPC_PORT}`;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) =>
        error
          ? reject(
              new Error(
                `OTLP/gRPC receiver cannot listen on ${address} (${error.message}): set OTLP_GRPC_PORT to a free port, or to 0 to turn the receiver off`,
              ),
            )
          : resolve(port),
      ),
    );
    this.server = server;
    this.logger.log({ msg: 'OTLP/gRPC receiver listening', port: this.boundPort });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.boundPort = undefined;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private readonly export: handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    const answer = async (): Promise<Buffer> => {
      // The hub's access rules, as for POST /v1/traces (INGEST_AUTH=required asks for an ingest key).
      await this.access.check({
        decision: 'ingest',
        what: 'OTLP/gRPC TraceService/Export',
        headers: metadataHeaders(call.metadata),
        clientIp: peerAddress(call.getPeer()),
        path: EXPORT_PATH,
      });
      this.key.check(call.metadata.get('x-api-key')[0]);
      const outcome = await this.ingest.export(decodeExportRequest(call.request), 'grpc', 'protobuf');
      return Buffer.from(encodeExportResponse(outcome.rejectedSpans, outcome.errorMessage));
    };
    answer().then(
      (response) => callback(null, response),
      (error: unknown) => callback(this.grpcError(error)),
    );
  };

  /** The client's mistake or a retriable outage keeps its message; anything else is INTERNAL. */
  private grpcError(error: unknown): ServerErrorResponse {
    const domainError = asDomainError(error);
    if (domainError) {
      return Object.assign(new Error(domainError.message), {
        code: grpcCodeOf(domainError.status),
        details: domainError.message,
      });
    }
    this.logger.error({ msg: 'export failed', err: describeError(error) });
    return Object.assign(new Error('internal error; the export was not accepted'), {
      code: GrpcStatus.INTERNAL,
      details: 'internal error; the export was not accepted',
    });
  }
}

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** gRPC metadata as HTTP-style headers (text values only). */
function metadataHeaders(metadata: Metadata): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata.getMap()))
    if (typeof value === 'string') headers[name] = value;
  return headers;
}

/** `ipv4:1.2.3.4:5678`, `ipv6:[::1]:5678` or `1.2.3.4:5678` → the address. */
function peerAddress(peer: string): string {
  const plain = peer.replace(/^ipv[46]:/, '');
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(plain);
  if (bracketed) return bracketed[1];
  return plain.replace(/:\d+$/, '');
}
