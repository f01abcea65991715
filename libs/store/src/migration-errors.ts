/** A migration that cannot be read, translated or applied; start-up stops with this message. */
export class MigrationError extends Error {}
