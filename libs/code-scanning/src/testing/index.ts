export * from './stand-in-server';
