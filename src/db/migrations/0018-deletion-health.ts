import { type Kysely, sql } from 'kysely';

/**
 * Deletion health (issue 17): indexes that let every dashboard question read only the messages it
 * is about (indexed queries, not rollups: docs/decisions.md), the record of sends the guard
 * blocked (before, nothing of them was kept), and the workspace's alert thresholds, raised alerts
 * and their outgoing webhooks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Messages sent through Errata by time: counted per author and day without reading the rows.
  // Entries appear when a message is sent (an update that changes `status`, already not HOT).
  await sql`
    create index messages_sent_analytics on messages (workspace_id, sent_at)
    include (author_user_id, channel_id, contact_id)
    where direction = 'out' and sent_at is not null and origin is null`.execute(db);
  // The few messages that were edited after leaving or deleted.
  await sql`
    create index messages_incidents on messages (workspace_id, sent_at)
    where direction = 'out' and (revoked_at is not null or edited_at is not null or deleted_for_me_at is not null)`.execute(db);
  // Messages that met the guard, a reviewer or an undo, by when they were written.
  await sql`
    create index messages_prevention on messages (workspace_id, created_at)
    where direction = 'out' and (guard_findings is not null or approval_requested_at is not null or cancelled_at is not null)`.execute(db);
  await sql`create index guard_feedback_created on guard_feedback (workspace_id, created_at)`.execute(db);
  // Customers' own deletions per conversation (a signal after ours): entries only for those few.
  await sql`create index messages_customer_deleted on messages (conversation_id) where customer_deleted_at is not null`.execute(db);

  // Follow-ups of deletions for everyone that can no longer change (docs/decisions.md, "Deletion
  // health"): a week after the deletion no correction can still count and the customer's 24-hour
  // signals are over. Device outcomes are kept only when none is pending (a phone may still come
  // back). Written by the analytics job, read by the dashboard instead of looking the follow-ups up
  // again; recent deletions are always looked up live.
  await sql`
    create table analytics_deletion_facts (
      message_id uuid primary key references messages(id),
      workspace_id uuid not null references workspaces(id),
      sent_at timestamptz not null,
      outcomes text[],
      correction_sent_at timestamptz,
      correction_owns boolean,
      customer_reply_at timestamptz,
      customer_deleted_at timestamptz,
      computed_at timestamptz not null
    )`.execute(db);
  await sql`create index analytics_deletion_facts_sent on analytics_deletion_facts (workspace_id, sent_at)`.execute(db);

  await sql`
    create table guard_blocked_sends (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      user_id uuid references users(id),
      channel_id uuid,
      contact_id uuid,
      at timestamptz not null,
      -- One entry per finding; never the text.
      kinds text[] not null,
      categories text[] not null
    )`.execute(db);
  await sql`create index guard_blocked_sends_at on guard_blocked_sends (workspace_id, at)`.execute(db);
  await sql`
    create trigger guard_blocked_sends_append_only before update or delete on guard_blocked_sends
    for each row execute function errata_forbid_change()`.execute(db);

  await sql`
    create table analytics_alert_settings (
      workspace_id uuid primary key references workspaces(id),
      deletion_rate_above double precision,
      transparency_below double precision,
      agent_factor_above double precision,
      window_days integer not null,
      min_sent integer not null,
      correction_within_seconds integer not null,
      webhook_url text,
      -- Sealed with the SecretBox, like channel secrets.
      webhook_secret text,
      updated_at timestamptz not null,
      updated_by uuid references users(id)
    )`.execute(db);

  await sql`
    create table analytics_alerts (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      kind text not null check (kind in ('deletion_rate', 'transparency', 'agent_outlier')),
      agent_id uuid references users(id),
      value double precision not null,
      threshold double precision not null,
      raised_at timestamptz not null,
      cleared_at timestamptz,
      cleared_value double precision
    )`.execute(db);
  // One open alert per condition: a second evaluation racing the first cannot raise it twice.
  await sql`
    create unique index analytics_alerts_open on analytics_alerts (workspace_id, kind, coalesce(agent_id, '00000000-0000-0000-0000-000000000000'::uuid))
    where cleared_at is null`.execute(db);
  await sql`create index analytics_alerts_recent on analytics_alerts (workspace_id, raised_at desc)`.execute(db);

  await sql`
    create table analytics_webhook_deliveries (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      alert_id uuid not null references analytics_alerts(id),
      event text not null,
      url text not null,
      -- The exact bytes sent (and signed) on every attempt.
      body text not null,
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      delivered_at timestamptz,
      last_status integer,
      last_error text,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index analytics_webhook_due on analytics_webhook_deliveries (next_attempt_at) where delivered_at is null and next_attempt_at is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Errata migrations are forward-only');
}
