import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { graphqlResolvers } from '@th/registry';

/** The committed copy of the GraphQL schema; a spec fails when the code no longer matches it. */
export const SCHEMA_FILE = `${__dirname}/../schema.gql`;

/** Builds the SDL from every domain's resolvers (the registry), sorted as the server serves it. */
export async function buildSchemaSdl(): Promise<string> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  try {
    const factory = app.get(GraphQLSchemaFactory);
    const schema = await factory.create(graphqlResolvers());
    return `${printSchema(lexicographicSortSchema(schema))}\n`;
  } finally {
    await app.close();
  }
}
