// The bare reference for `npm run bench:startup` (issue 18): a Fastify server that opens an
// existing PGlite database on disk and answers one route. Plain JavaScript, so no loader stands
// between it and Node: Errata's start-up is compared against the least any such server can do.
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';

const started = performance.now();
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: node bench/startup/reference-server.js <pglite data dir>');
const db = await PGlite.create(dataDir);
const app = Fastify();
app.get('/healthz', async () => (await db.query('select 1 as ok')).rows[0]);
await app.listen({ port: Number(process.env.PORT ?? 3919), host: '127.0.0.1' });
process.stdout.write(`Reference is ready (${Math.round(performance.now() - started)} ms)\n`);
const stop = async () => {
  await app.close();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
