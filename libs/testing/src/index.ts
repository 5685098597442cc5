export { runScenarios } from './run-scenarios';
export type { Expected, JsonBody, RequestBody, Resolvable, Scenario } from './run-scenarios';
export { EventObserver, compareEvents } from './event-observer';
export type { ExpectedEvents, ObservedEvent, ObservedEventName } from './event-observer';
export { POLL_MS, waitFor } from './wait';
export { ScenarioContext, SuperuserClient, assertNot5xx } from './scenario-context';
export type { TestUser } from './scenario-context';
export { ApiError, HttpClient, query } from './http-client';
export type { ApiResponse, HttpMethod, RequestOptions } from './http-client';
export { freePort } from './free-port';
export { latenessProbe } from './lateness-probe';
export { externalTarget, repoRoot, spawnServer, startTestServer, targetOnPostgres, waitForHealth } from './test-server';
export type { RunningServer, SpawnedServer, SpawnOptions, TestTarget } from './test-server';
export { runCli, startNestbase, startProcess, startRecordsApp, startSplitService } from './process';
export type { ManagedProcess, ProcessOptions, ProcessResult } from './process';
export { bannerText, logEntries, waitForBanner } from './log-lines';
export type { LogEntry } from './log-lines';
export { startSlowRequest } from './slow-request';
export type { SlowRequest } from './slow-request';
export {
  absent,
  any,
  anything,
  arrayContaining,
  arrayOfLength,
  between,
  isMatcher,
  matchPartial,
  matching,
  not,
  oneOf,
  onlyKeys,
  show,
} from './matchers';
export type { Matcher } from './matchers';
export {
  DEFAULT_PASSWORD,
  LOCKED_RULES,
  OPEN_RULES,
  OWNER_RULES,
  autodate,
  bool,
  date,
  editor,
  email,
  file,
  geoPoint,
  json,
  makeCollection,
  makeUserInput,
  num,
  recordId,
  relation,
  select,
  text,
  tokenFor,
  uniqueEmail,
  uniqueSuffix,
  url,
} from './factories';
export type {
  CollectionDef,
  CollectionJson,
  FieldDef,
  FieldJson,
  FieldType,
  ListJson,
  RecordJson,
  Rule,
} from './factories';
export { absorbReapedCpu, runTestFile, runTestFiles } from './file-runner';
export type { FileLease, FileResult, FileRunOptions, FileScheduler } from './file-runner';
export { externalSuiteFiles, isSuiteFile, suiteEnv, suiteRole } from './suite-files';
export type { SuiteRole, SuiteTarget } from './suite-files';
export { SuiteScheduler } from './suite-scheduler';
export type { LaneHooks, SuiteLane } from './suite-scheduler';
export { SharedServers } from './shared-servers';
export { readTap } from './tap-report';
export type { TapFailure, TapSummary } from './tap-report';
export { STARTUP_CEILING_MS, TEST_CEILING_MS, WAIT_CEILING_MS } from './ceilings';
export { CONTROLLER_ROUTES, FASTIFY_ROUTES, ROUTES } from './fuzz/route-list';
export type { RouteMethod, RouteTemplate } from './fuzz/route-list';
export { PostgresServer, freshPostgresDatabase, postgresBinDir } from './postgres-server';
export { TestClock } from './test-clock';
