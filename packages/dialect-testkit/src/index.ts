export type { ReflectionOptions } from './cases/round-trip.js';
export { type DialectSuiteOptions, defineDialectSuite, type TestConnection } from './define-dialect-suite.js';
export {
  branchedGraph,
  type CaseTables,
  caseTables,
  existingTables,
  historyOf,
  tableExists,
  tableLoader,
} from './fixtures.js';
export { runNativeClient } from './native-client.js';
