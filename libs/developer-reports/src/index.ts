export * from './developer-reports.domain';
export * from './contract';
export { ConnectionsService } from './connections/connections.service';
export { hashSecretToken, newSecretToken, secretTokenMatches } from './connections/secret-token';
