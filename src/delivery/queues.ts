/**
 * The delivery pipeline's queues and what their jobs carry. Apart from the job queue itself so that
 * commands enqueueing work (send, change, release) name a queue without importing pg-boss's wrapper.
 * Each job carries only ids: the database row is the truth, the job is a nudge.
 */
export const QUEUES = {
  releaseHold: 'release-hold',
  sendMessage: 'send-message',
  /** A delete for everyone or an edit to pass on to a gateway that can do it (Evolution). */
  providerAction: 'provider-action',
  /** Media a customer sent that the provider keeps by id (Cloud API): downloaded off the webhook's path. */
  fetchMedia: 'fetch-media',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobData {
  workspaceId: string;
  messageId: string;
  /** Provider actions only: what to pass on, and for an edit the version it carries. */
  action?: 'revoke' | 'edit';
  version?: number;
  /** Provider actions only: which call to the provider this job makes (1 for the first). */
  attempt?: number;
  /** Provider action retries: not before this instant (ISO), judged on the injected clock. */
  notBefore?: string;
}

export interface EnqueueOptions {
  /** Seconds from now (database time). Relative, so a manual test clock never confuses pg-boss. */
  delaySeconds?: number;
}
