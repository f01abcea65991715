import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { Access, WithErrorBodyExtras } from '@th/platform';
import type { ConnectionView } from './connection';
import type { ConnectionApiKeyView } from './connection-api-key';
import { parseConnectionId } from './connection-errors';
import { ConnectionsService } from './connections.service';
import { type DevLakeBody, devlakeBody, devlakeErrorFields } from './devlake-body';
import { DevLakeKeyGateGuard } from './devlake-key-gate.guard';
import { devlakeRoutes } from './devlake-paths';

/**
 * The DevLake `developer_telemetry` plugin's connection routes, paths and bodies unchanged, under
 * every prefix an installation uses; under `/rest/...` they need an API key, as in DevLake.
 */
@Controller(devlakeRoutes('connections'))
@UseGuards(DevLakeKeyGateGuard)
@Access('admin')
@WithErrorBodyExtras(devlakeErrorFields)
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  /** Answers the connection with its `apiKey` (the key in plain text, this once), as DevLake does. */
  @Post()
  @HttpCode(200)
  create(@Body() body: unknown): Promise<ConnectionView & { apiKey: ConnectionApiKeyView }> {
    return this.connections.create(body);
  }

  @Get()
  list(): Promise<ConnectionView[]> {
    return this.connections.list();
  }

  @Get(':connectionId')
  get(@Param('connectionId') connectionId: string): Promise<ConnectionView> {
    return this.connections.get(parseConnectionId(connectionId));
  }

  @Patch(':connectionId')
  update(@Param('connectionId') connectionId: string, @Body() body: unknown): Promise<ConnectionView> {
    return this.connections.update(parseConnectionId(connectionId), body);
  }

  @Delete(':connectionId')
  async delete(@Param('connectionId') connectionId: string): Promise<DevLakeBody> {
    await this.connections.delete(parseConnectionId(connectionId));
    return devlakeBody('connection deleted');
  }

  /** DevLake's "test connection": the connection exists and can take reports. */
  @Post(':connectionId/test')
  @HttpCode(200)
  async test(@Param('connectionId') connectionId: string): Promise<DevLakeBody> {
    await this.connections.get(parseConnectionId(connectionId));
    return devlakeBody('connection test successful');
  }

  /**
   * Generates a new secret token for the connection on the server (shown this once, kept as a slow
   * hash) and replaces the one it had: `{...connection, secretToken}`.
   */
  @Post(':connectionId/secret-token')
  @HttpCode(200)
  generateSecretToken(
    @Param('connectionId') connectionId: string,
  ): Promise<ConnectionView & { secretToken: string }> {
    return this.connections.generateSecretToken(parseConnectionId(connectionId));
  }

  /**
   * Issues a new API key for the connection (shown this once) and revokes the previous ones;
   * `{"apiKey": "..."}` adopts the key its collectors already hold.
   */
  @Post(':connectionId/api-key')
  @HttpCode(200)
  rotateApiKey(
    @Param('connectionId') connectionId: string,
    @Body() body: unknown,
  ): Promise<ConnectionApiKeyView> {
    return this.connections.rotateApiKey(parseConnectionId(connectionId), body);
  }
}
