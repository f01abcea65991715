/** Where a message came from on the bus. */
export interface MessageOrigin {
  topic: string;
  partition: number;
  offset: string;
  key?: string;
}

/** An envelope that can never be stored, with why, kept instead of being dropped. */
export interface DeadLetter {
  envelopeId: string;
  kind: string;
  reason: string;
  /** The original message, byte for byte. */
  original: Buffer;
  origin: MessageOrigin;
}

/** Where dead letters go: the dead_letters table in embedded mode, the DLQ topic on Kafka. */
export interface DeadLetterSink {
  send(letters: DeadLetter[]): Promise<void>;
}

export const DEAD_LETTER_SINK = Symbol('DEAD_LETTER_SINK');
