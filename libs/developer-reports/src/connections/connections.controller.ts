import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { ConnectionView } from './connection';
import { parseConnectionId } from './connection-errors';
import { ConnectionsService } from './connections.service';

/** The DevLake `developer_telemetry` plugin's connection routes, paths and bodies unchanged. */
@Controller('plugins/developer_telemetry/connections')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @Post()
  @HttpCode(200)
  create(@Body() body: unknown): Promise<ConnectionView> {
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
  async delete(@Param('connectionId') connectionId: string): Promise<{ success: true; message: string }> {
    await this.connections.delete(parseConnectionId(connectionId));
    return { success: true, message: 'connection deleted' };
  }

  /** DevLake's "test connection" button: succeeds when the connection exists. */
  @Post(':connectionId/test')
  @HttpCode(200)
  async test(@Param('connectionId') connectionId: string): Promise<{ success: true; message: string }> {
    await this.connections.get(parseConnectionId(connectionId));
    return { success: true, message: 'connection test successful' };
  }
}
