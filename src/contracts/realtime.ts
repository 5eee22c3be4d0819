/**
 * One server-sent event (`GET /api/v1/events`, unnamed, JSON in `data`): enough to know what to
 * refetch, never message content.
 */
export interface RealtimeEvent {
  type: string;
  workspaceId: string;
  conversationId: string | null;
  messageId: string | null;
  at: string;
  data?: Record<string, unknown>;
}
