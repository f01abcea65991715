import { ClickHouseError } from '@clickhouse/client';

/**
 * ClickHouse error codes that mean "these rows can never be stored" (the data is wrong, not the
 * store). Anything else (network, timeouts, too many parts, a server restarting) is transient.
 */
const DATA_ERROR_CODES = new Set([
  '6', // CANNOT_PARSE_TEXT
  '26', // CANNOT_PARSE_QUOTED_STRING
  '27', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  '38', // CANNOT_PARSE_DATE
  '41', // CANNOT_PARSE_DATETIME
  '53', // TYPE_MISMATCH
  '69', // ARGUMENT_OUT_OF_BOUND
  '70', // CANNOT_CONVERT_TYPE
  '72', // CANNOT_PARSE_NUMBER
  '117', // INCORRECT_DATA
  '131', // TOO_LARGE_STRING_SIZE
  '321', // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
]);

/** True when retrying the same rows cannot succeed. */
export function isDataRejectedByStore(error: unknown): error is ClickHouseError {
  return error instanceof ClickHouseError && DATA_ERROR_CODES.has(String(error.code));
}
