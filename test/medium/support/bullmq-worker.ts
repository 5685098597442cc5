// A worker process for the BullMQ suites: `node -r scripts/paths.js bullmq-worker.js <redis url> <prefix> [slow ms]`.
// Takes the job names and lock from NB_JOB_WORKERS / NB_JOB_LOCK_MS as a service does (read here: the app config
// accepts only nestbase's own job names, these are the suite's). Handles `test.job`
// ({ id }) by printing `done <id>`, and `slow.job` ({ id }) by printing `start <id>`, waiting, then
// `done <id>`. Exits cleanly on SIGTERM.
import { BullmqJobQueue } from '@lib/jobs';

async function main(): Promise<void> {
  const [url, prefix, slow = '3000'] = process.argv.slice(2);
  const names = (process.env.NB_JOB_WORKERS ?? '*').split(',').map((name) => name.trim());
  const workers = names.includes('*') ? '*' : names;
  const lockMs = Number(process.env.NB_JOB_LOCK_MS ?? 30_000);
  const queue = await BullmqJobQueue.connect(url, { prefix, workers, lockMs });
  queue.process<{ id: string }>('test.job', async ({ id }) => {
    await new Promise((r) => setTimeout(r, 5));
    process.stdout.write(`done ${id}\n`);
  });
  queue.process<{ id: string }>('slow.job', async ({ id }) => {
    process.stdout.write(`start ${id}\n`);
    await new Promise((r) => setTimeout(r, Number(slow)));
    process.stdout.write(`done ${id}\n`);
  });
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void queue.onModuleDestroy().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
