// The fakes of the unit specs (in-memory repositories, a manual clock …): a library apart from @lib/testing
// because they load @lib/records, @lib/auth and @lib/realtime, ~1 s of CPU that every e2e test process would pay.
export { InMemoryRecordRepository } from './in-memory-record.repository';
export { RecordingEventBus } from './recording-event-bus';
export { FakeTransactions } from './fake-transactions';
export { FakePasswordHasher } from './fake-password-hasher';
export { ManualClock } from './manual-clock';
export {
  InMemoryAuthOriginRepository,
  InMemoryAuthRecordRepository,
  InMemoryMfaRepository,
  InMemoryOtpRepository,
  RecordingAuthMail,
} from './auth-fakes';
export {
  InMemoryRealtimeCollections,
  NoJoinedRuleCheck,
  PlainRealtimeRenderer,
  RecordingTransport,
} from './realtime-fakes';
