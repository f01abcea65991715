import { status as GrpcStatus } from '@grpc/grpc-js';

/**
 * The gRPC code of an HTTP status, for `google.rpc.Status` bodies and gRPC answers: exporters
 * retry UNAVAILABLE and RESOURCE_EXHAUSTED (with back-off) and drop INVALID_ARGUMENT.
 */
export function grpcCodeOf(httpStatus: number): GrpcStatus {
  switch (httpStatus) {
    case 400:
    case 415:
      return GrpcStatus.INVALID_ARGUMENT;
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 413:
    case 429:
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case 503:
      return GrpcStatus.UNAVAILABLE;
    default:
      return httpStatus >= 500 ? GrpcStatus.INTERNAL : GrpcStatus.UNKNOWN;
  }
}
