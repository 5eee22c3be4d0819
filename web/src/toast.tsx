import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { useI18n } from './i18n.tsx';

export interface Toast {
  id: number;
  text: string;
  tone?: 'info' | 'error' | 'success';
  action?: { label: string; run: () => void; title?: string };
  /** What the toast is about (`hold:<message id>`): dismissed when that stops being true. */
  topic?: string;
}

interface Toasts {
  notify(toast: Omit<Toast, 'id'>, ms?: number): void;
  /** Removes the toasts about a topic (an Undo toast once the message was undone elsewhere). */
  dismissTopic(topic: string): void;
}

const ToastContext = createContext<Toasts>({ notify: () => undefined, dismissTopic: () => undefined });

/** Short notices in a polite live region, each dismissible; errors are announced assertively. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((x) => x.id !== id)), []);
  const notify = useCallback(
    (toast: Omit<Toast, 'id'>, ms = 6000) => {
      const id = next.current++;
      setToasts((all) => [...all.slice(-3), { ...toast, id }]);
      setTimeout(() => dismiss(id), ms);
    },
    [dismiss],
  );
  const dismissTopic = useCallback((topic: string) => setToasts((all) => all.filter((x) => x.topic !== topic)), []);
  const value = useMemo(() => ({ notify, dismissTopic }), [notify, dismissTopic]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <section className="toasts" aria-label={t('notifications')} aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast ${toast.tone ?? 'info'}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
            <span>{toast.text}</span>
            {toast.action && (
              <button
                type="button"
                title={toast.action.title}
                onClick={() => {
                  toast.action?.run();
                  dismiss(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            )}
            <button type="button" className="icon" aria-label={t('dismiss')} onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);
