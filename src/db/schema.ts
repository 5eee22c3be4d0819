import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type Json<T> = ColumnType<T, string | T, string | T>;
/** A JSON column with a database default: optional on insert, written as JSON text. */
type JsonWithDefault<T> = ColumnType<T, string | undefined, string>;
/** A nullable column added later: optional on insert. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface WorkspacesTable {
  id: string;
  name: string;
  country: string;
  language: string;
  created_at: Timestamp;
  business_name: string | null;
  business_phones: JsonWithDefault<string[]>;
  business_emails: JsonWithDefault<string[]>;
  business_ibans: JsonWithDefault<string[]>;
  business_addresses: JsonWithDefault<string[]>;
  staff_names: JsonWithDefault<string[]>;
  guard_policy: JsonWithDefault<Record<string, unknown>>;
  require_totp: Generated<boolean>;
  /** How new conversations get someone to handle them (0017). */
  assignment_mode: Generated<'manual' | 'round_robin'>;
  round_robin_last_user_id: Optional<string>;
}

export interface CatalogItemsTable {
  id: string;
  workspace_id: string;
  name: string;
  /** numeric: read as a string, exact. */
  price: ColumnType<string, string | number, string | number>;
  currency: string;
  archived_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface UsersTable {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: 'admin' | 'supervisor' | 'agent' | 'auditor';
  password_hash: string | null;
  language: string | null;
  created_at: Timestamp;
  disabled_at: Timestamp | null;
  invited_by: Optional<string>;
  password_changed_at: Optional<Date>;
  /** Sealed (SecretBox). */
  totp_secret: Optional<string>;
  /** Sealed; set up but not yet confirmed with a code. */
  totp_pending_secret: Optional<string>;
  totp_enabled_at: Optional<Date>;
  /** The last 30-second step a code was accepted for: a code is never accepted twice. */
  totp_last_step: Optional<string>;
}

export interface ApiTokensTable {
  id: string;
  workspace_id: string;
  user_id: string;
  token_hash: string;
  label: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** null: the owner's role. */
  role: Optional<'admin' | 'supervisor' | 'agent' | 'auditor'>;
  expires_at: Optional<Date>;
  revoked_by: Optional<string>;
}

export interface UserLinksTable {
  id: string;
  workspace_id: string;
  user_id: string;
  kind: 'invitation' | 'password_reset';
  token_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface TotpRecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  pending: boolean;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

export interface TeamEventsTable {
  seq: Generated<string>;
  workspace_id: string;
  actor_user_id: string | null;
  actor_kind: 'user' | 'platform' | 'cli' | 'link';
  type: string;
  subject_user_id: string | null;
  subject_token_id: string | null;
  at: Timestamp;
  data: JsonWithDefault<Record<string, unknown>>;
}

export interface ChannelsTable {
  id: string;
  workspace_id: string;
  type: 'simulator' | 'whatsapp-cloud' | 'evolution';
  name: string;
  revoke_window_seconds: number | null;
  edit_window_seconds: number | null;
  default_hold_seconds: number;
  config: Json<Record<string, unknown>>;
  is_default: boolean;
  created_at: Timestamp;
  /** Cloud API phone number id, or Evolution instance name: what webhooks are routed by. */
  external_id: string | null;
  /** Sealed (SecretBox) JSON of the channel's secrets; never leaves the server. */
  secrets: string | null;
  /** SHA-256 of the Cloud API verify token, for the GET handshake. */
  verify_token_hash: string | null;
  rate_per_second: Generated<number>;
}

export interface ProviderEventsTable {
  seq: Generated<number>;
  workspace_id: string;
  channel_id: string;
  dedupe_key: string;
  kind: string;
  received_at: Timestamp;
  payload: Json<unknown>;
  pending: Generated<boolean>;
  /** A pending fact about a message we do not have yet is tried again from then on. */
  retry_at: Timestamp | null;
  /** The webhook delivery it was read from (webhook_deliveries.id). */
  delivery_id: ColumnType<string | null, string | null | undefined, never>;
}

export interface ContactsTable {
  id: string;
  workspace_id: string;
  name: string;
  /** Null for a customer known only by a business-scoped user id or a LID. */
  phone: string | null;
  language: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** This contact turned out to be another one (same person, another identity): it was merged there. */
  merged_into_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ContactIdentitiesTable {
  workspace_id: string;
  kind: 'phone' | 'bsuid' | 'lid';
  value: string;
  contact_id: string;
  created_at: Timestamp;
  retired_at: Timestamp | null;
}

export interface MediaObjectsTable {
  workspace_id: string;
  sha256: string;
  mime_type: string | null;
  size: number;
  bytes: Uint8Array;
  created_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  seq: Generated<number>;
  provider: 'whatsapp-cloud' | 'evolution';
  channel_ids: string[];
  received_at: Timestamp;
  body: Uint8Array | null;
  body_size: number;
  media_extracted: Generated<boolean>;
  outcome: 'stored' | 'too_large';
  headers: JsonWithDefault<Record<string, string>>;
}

export interface ConversationsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  channel_id: string;
  last_message_at: Timestamp | null;
  last_message_text: string | null;
  unread_count: Generated<number>;
  created_at: Timestamp;
  /** When the customer last wrote on this channel: opens the Cloud API's 24-hour window. */
  customer_last_message_at: Timestamp | null;
  merged_into_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Team inbox (0017): open, pending, snoozed (until snoozed_until) or resolved. */
  status: Generated<ConversationStatus>;
  snoozed_until: Optional<Date>;
  status_changed_at: Optional<Date>;
  assignee_id: Optional<string>;
  /** Last change of assignee; null while the conversation was never assigned (round-robin takes those). */
  assigned_at: Optional<Date>;
  labels: ColumnType<string[], string[] | undefined, string[]>;
}

export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved';

export interface ConversationNotesTable {
  seq: Generated<number>;
  id: string;
  workspace_id: string;
  conversation_id: string;
  author_user_id: string;
  text: string;
  mentions: ColumnType<string[], string[] | undefined, never>;
  created_at: Timestamp;
}

export interface MessagesTable {
  seq: Generated<number>;
  id: string;
  workspace_id: string;
  conversation_id: string;
  channel_id: string;
  contact_id: string;
  direction: 'out' | 'in';
  author_user_id: string | null;
  status: string;
  text: string;
  version: number;
  sent_version: number | null;
  hold_until: Timestamp | null;
  queued_at: Timestamp | null;
  sent_at: Timestamp | null;
  delivered_at: Timestamp | null;
  read_at: Timestamp | null;
  failed_at: Timestamp | null;
  failure_code: string | null;
  failure_detail: string | null;
  cancelled_at: Timestamp | null;
  edited_at: Timestamp | null;
  deleted_for_me_at: Timestamp | null;
  deleted_for_me_by: string | null;
  deleted_for_me_reason: string | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  revoke_note: string | null;
  read_before_revoke: boolean;
  send_attempts: number;
  provider_message_id: string | null;
  idempotency_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  planned_hold_seconds: Generated<number>;
  guard_verdict: string | null;
  guard_findings: Json<unknown[]> | null;
  guard_acknowledged: JsonWithDefault<string[]>;
  approval_requested_at: Timestamp | null;
  approval_decision: 'approved' | 'rejected' | null;
  approval_decided_by: string | null;
  approval_decided_at: Timestamp | null;
  approval_reason: string | null;
  /** `text`, `template`, or `unsupported` (inbound content the provider could not pass on). */
  content_type: Generated<string>;
  template: Json<{ name: string; language: string; parameters: string[] }> | null;
  /** Evolution's remoteJid (needed to delete or edit); the Cloud API's wa_id. */
  provider_chat_id: string | null;
  /** Outbox: a send attempt owns the message until then (a crashed attempt is retried after). */
  send_lease_until: Timestamp | null;
  /** Outbox: not before (retries, backoff, Retry-After). */
  next_attempt_at: Timestamp | null;
  last_send_error: string | null;
  /** The customer deleted their message (the text stays in the history). */
  customer_deleted_at: Timestamp | null;
  provider_errors: Json<unknown[]> | null;
  /** The typed part of a message that is not plain text (src/domain/inbound-content.ts). */
  content: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** `app`: the business sent it from the WhatsApp Business app (not through Errata). */
  origin: ColumnType<'app' | null, 'app' | null | undefined, 'app' | null>;
  /** The customer's current reaction to this message ({emoji, at}); its history is in the events. */
  customer_reaction: ColumnType<{ emoji: string; at: string } | null, string | null | undefined, string | null>;
  /** The earlier message of the conversation this one quotes (a WhatsApp reply), if any. */
  reply_to_message_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MessageVersionsTable {
  message_id: string;
  version: number;
  workspace_id: string;
  text: string;
  created_at: Timestamp;
  created_by: string | null;
}

export interface MessageEventsTable {
  seq: Generated<number>;
  workspace_id: string;
  conversation_id: string | null;
  message_id: string | null;
  type: string;
  actor_user_id: string | null;
  at: Timestamp;
  data: Json<Record<string, unknown>>;
}

export interface SimulatorDevicesTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  label: string;
  client_version: string;
  online: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MessageDeviceStatesTable {
  message_id: string;
  device_id: string;
  workspace_id: string;
  delivered_at: Timestamp | null;
  read_at: Timestamp | null;
  shown_version: number;
  revoke_outcome: 'applied' | 'pending' | 'ignored' | 'expired' | 'unknown' | null;
  revoke_requested_at: Timestamp | null;
  revoke_resolved_at: Timestamp | null;
}

export interface GuardFeedbackTable {
  /** Insertion order (the export's order). */
  seq: Generated<number>;
  id: string;
  workspace_id: string;
  user_id: string;
  created_at: Timestamp;
  verdict: 'false_alarm' | 'missed';
  kind: string;
  category: string;
  text: string;
  span_start: number | null;
  span_end: number | null;
  phrase: string | null;
  folded_phrase: string | null;
  glossary: boolean;
  note: string | null;
}

export interface GuardAllowlistTable {
  id: string;
  workspace_id: string;
  phrase: string;
  folded_phrase: string;
  kind: string | null;
  category: string | null;
  created_by: string;
  created_at: Timestamp;
  removed_at: Timestamp | null;
  removed_by: string | null;
}

export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  channels: ChannelsTable;
  contacts: ContactsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  message_versions: MessageVersionsTable;
  message_events: MessageEventsTable;
  simulator_devices: SimulatorDevicesTable;
  message_device_states: MessageDeviceStatesTable;
  catalog_items: CatalogItemsTable;
  sessions: SessionsTable;
  provider_events: ProviderEventsTable;
  contact_identities: ContactIdentitiesTable;
  media_objects: MediaObjectsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  guard_feedback: GuardFeedbackTable;
  guard_allowlist: GuardAllowlistTable;
  user_links: UserLinksTable;
  totp_recovery_codes: TotpRecoveryCodesTable;
  team_events: TeamEventsTable;
  conversation_notes: ConversationNotesTable;
}

export type MessageRow = Selectable<MessagesTable>;
export type NewMessageRow = Insertable<MessagesTable>;
export type MessageRowPatch = Updateable<MessagesTable>;
export type ChannelRow = Selectable<ChannelsTable>;
export type ContactRow = Selectable<ContactsTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type ConversationNoteRow = Selectable<ConversationNotesTable>;
export type DeviceRow = Selectable<SimulatorDevicesTable>;
export type DeviceStateRow = Selectable<MessageDeviceStatesTable>;
export type UserRow = Selectable<UsersTable>;
export type WorkspaceRow = Selectable<WorkspacesTable>;
export type CatalogItemRow = Selectable<CatalogItemsTable>;
