import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { APP_EVENTS_RESOLVERS } from '@th/app-events';
import { API_RESOLVERS } from '@th/developer-reports';

/** The committed copy of the GraphQL schema; a spec fails when the code no longer matches it. */
export const SCHEMA_FILE = `${__dirname}/../schema.gql`;

/** Builds the SDL from the resolvers' code-first types, sorted as the server serves it. */
export async function buildSchemaSdl(): Promise<string> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  try {
    const factory = app.get(GraphQLSchemaFactory);
    const schema = await factory.create([...API_RESOLVERS, ...APP_EVENTS_RESOLVERS]);
    return `${printSchema(lexicographicSortSchema(schema))}\n`;
  } finally {
    await app.close();
  }
}
