import pg from 'pg';

/**
 * For the PostgreSQL run of the database suite: a fresh database per run, migrated by the first
 * test file that opens it (migrations take an advisory lock), dropped at the end.
 */
export default async function setup() {
  if (process.env.ERRATA_TEST_DB !== 'postgres') return;
  const admin = process.env.ERRATA_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `errata_test_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  process.env.ERRATA_TEST_DATABASE_URL = url.toString();
  return async () => {
    const done = new pg.Client({ connectionString: admin });
    await done.connect();
    await done.query(`drop database if exists ${name} with (force)`);
    await done.end();
  };
}
