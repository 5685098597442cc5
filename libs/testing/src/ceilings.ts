// Limits of the test tiers. None is a speed budget: each only stops a test that hangs, far above what the
// awaited thing takes on a quiet machine (milliseconds to seconds), because a busy machine is many times
// slower and every wait ends as soon as its condition holds. A test that needs a speed check measures it
// in a benchmark (bench/), not here.

/** node:test `timeout` of a test or suite that starts servers or runs many requests. */
export const TEST_CEILING_MS = 10 * 60_000;
/** A process (server, service, CLI) becoming healthy or printing what it should. */
export const STARTUP_CEILING_MS = 3 * 60_000;
/** One wait for an event, a mail, a log line or any other condition. */
export const WAIT_CEILING_MS = 60_000;

/**
 * bcrypt's cost in the servers and CLIs tests start (`NB_BCRYPT_COST`; a test's own value wins): cost 10, the
 * default, is ~60 ms of CPU per hash or password check — thousands of sign-ins and user creations in a full run.
 * Hashes made elsewhere (the PocketBase fixture's) are still checked at their own cost.
 */
export const TEST_BCRYPT_COST = '4';
