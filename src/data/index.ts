/**
 * The data layer: record types, validation, readers, seeded randomness and the synthetic operator.
 *
 * @packageDocumentation
 */

export type { DenseMatrix, MatrixLike, NumericMatrixInput } from './dense-matrix.js';
export { toDenseMatrix } from './dense-matrix.js';
export type { DataIssue, TelcoAnalyticsErrorCode } from './errors.js';
export { DataError, OptionError, TelcoAnalyticsError } from './errors.js';
export type { Rng } from './random.js';
export { createRng, deriveSeed } from './random.js';
export type {
  BatchOptions,
  BatchReadOptions,
  CsvOptions,
  ReadOptions,
  RecordSource,
} from './read-records.js';
export {
  readCallBatches,
  readCalls,
  readPaymentBatches,
  readPayments,
  readSubscribers,
} from './read-records.js';
export type {
  CallRecord,
  DestinationZone,
  Direction,
  InvalidRecordPolicy,
  Payment,
  Service,
  SkippedRecord,
  Subscriber,
  TimestampInput,
  ValidationResult,
} from './records.js';
export { knownDirections, knownServices, knownZones } from './records.js';
export type {
  GenerateOperatorOptions,
  OperatorChunk,
  OperatorDescription,
  OperatorStream,
  PlantedAssociation,
  SubscriberTruth,
  SyntheticOperator,
} from './synthetic/generate-operator.js';
export { generateOperator, streamOperator } from './synthetic/generate-operator.js';
export type { OperatorPlan } from './synthetic/operator-plans.js';
export { operatorPlans } from './synthetic/operator-plans.js';
export type { OperatorFiles } from './synthetic/read-operator-files.js';
export { readOperatorFiles } from './synthetic/read-operator-files.js';
export type { FraudPattern } from './synthetic/subscriber-profiles.js';
export { fraudPatterns } from './synthetic/subscriber-profiles.js';
export type { UsageSegment, UsageSegmentName } from './synthetic/usage-segments.js';
export { ageBands, usageSegmentNames, usageSegments } from './synthetic/usage-segments.js';
export type { OperatorFilesSummary, WriteOperatorFilesOptions } from './synthetic/write-operator-files.js';
export { generatedSubscriberColumns, writeOperatorFiles } from './synthetic/write-operator-files.js';
export type { ColumnarTable, DataFrameLike, TableInput } from './table-input.js';
export { tableRows } from './table-input.js';
export {
  formatDate,
  formatTimestamp,
  startOfUtcDay,
  timestampOption,
  toEpochMilliseconds,
} from './timestamp.js';
export type {
  CallVocabularyOptions,
  ColumnMapping,
  RecordField,
  RecordOptions,
  RecordOptionsBase,
} from './validate-records.js';
export { validateCalls, validatePayments, validateSubscribers } from './validate-records.js';
export {
  callColumns,
  callsToCsv,
  csvField,
  csvLine,
  paymentColumns,
  paymentsToCsv,
  subscriberColumnsOf,
  subscribersToCsv,
} from './write-csv.js';
