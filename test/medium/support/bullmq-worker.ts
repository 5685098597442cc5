// A worker process for the BullMQ suite: `node -r scripts/paths.js bullmq-worker.js <redis url> <prefix>`.
// Handles `test.job` ({ id }) by printing `done <id>` and exits cleanly on SIGTERM.
import { BullmqJobQueue } from '@lib/jobs';

async function main(): Promise<void> {
  const [url, prefix] = process.argv.slice(2);
  const queue = await BullmqJobQueue.connect(url, prefix);
  queue.process<{ id: string }>('test.job', async ({ id }) => {
    await new Promise((r) => setTimeout(r, 5));
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
