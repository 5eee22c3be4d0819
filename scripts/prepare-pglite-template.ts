// Run by `npm install` (postinstall): see src/db/pglite-template.ts. Never fails the install.
import { writePgliteTemplate } from '../src/db/pglite-template.ts';
import { JobQueue } from '../src/delivery/job-queue.ts';

try {
  const file = await writePgliteTemplate(async (executor) => {
    // pg-boss creates its schema and our queues on first start; do it here once instead.
    const jobs = new JobQueue(executor, { maintenance: false });
    await jobs.init((error) => {
      throw error;
    });
    await jobs.stop();
  });
  process.stdout.write(`errata: embedded database template ready (${file})\n`);
} catch (error) {
  process.stdout.write(`errata: no embedded database template (${String(error)}); first start will take longer\n`);
}
