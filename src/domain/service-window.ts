import { isWithinWindow, windowEnd } from './message-windows.ts';

/**
 * The Cloud API's customer-service window: free text may be sent only while the customer wrote
 * in the last 24 hours; outside it only an approved template goes through.
 */
export const SERVICE_WINDOW_SECONDS = 86_400;

export interface ServiceWindow {
  open: boolean;
  /** When it closes (or closed); null if the customer never wrote. */
  closesAt: Date | null;
}

export function serviceWindow(customerLastMessageAt: Date | null, now: Date): ServiceWindow {
  if (!customerLastMessageAt) return { open: false, closesAt: null };
  return {
    open: isWithinWindow(customerLastMessageAt, now, SERVICE_WINDOW_SECONDS),
    closesAt: windowEnd(customerLastMessageAt, SERVICE_WINDOW_SECONDS),
  };
}
