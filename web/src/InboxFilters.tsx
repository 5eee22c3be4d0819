import { useId } from 'react';
import { type InboxKey, useInboxText } from './inbox-i18n.ts';
import { type ConversationFilters, useLabels } from './queries.ts';
import type { Conversation, ConversationStatus } from './types.ts';
import './inbox.css';

const WHOSE = ['all', 'mine', 'unassigned'] as const;
const STATUSES: ConversationStatus[] = ['open', 'pending', 'snoozed', 'resolved'];

/** "All / Mine / Unassigned", a status and a label: the inbox's filters (remembered in the URL's absence for the session). */
export function InboxFilters({ value, onChange }: { value: ConversationFilters; onChange: (next: ConversationFilters) => void }) {
  const { t } = useInboxText();
  const labels = useLabels();
  const id = useId();
  const whose = value.assignee === 'me' ? 'mine' : value.assignee === 'unassigned' ? 'unassigned' : 'all';
  return (
    <div className="inbox-filters">
      <fieldset>
        <legend>{t('filterAssignee')}</legend>
        {WHOSE.map((w) => (
          <label key={w} className="seg">
            <input
              type="radio"
              name={`${id}-whose`}
              value={w}
              checked={whose === w}
              onChange={() => onChange({ ...value, assignee: w === 'mine' ? 'me' : w === 'unassigned' ? 'unassigned' : undefined })}
            />
            <span>{t(`filter_${w}` as InboxKey)}</span>
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-status`} className="sr-only">
        {t('filterStatus')}
      </label>
      <select id={`${id}-status`} value={value.status ?? ''} onChange={(e) => onChange({ ...value, status: (e.target.value || undefined) as ConversationStatus | undefined })}>
        <option value="">{t('filterStatusAll')}</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status_${s}` as InboxKey)}
          </option>
        ))}
      </select>
      {(labels.data?.length ?? 0) > 0 && (
        <>
          <label htmlFor={`${id}-label`} className="sr-only">
            {t('filterLabel')}
          </label>
          <select id={`${id}-label`} value={value.label ?? ''} onChange={(e) => onChange({ ...value, label: e.target.value || undefined })}>
            <option value="">{t('filterLabelAll')}</option>
            {labels.data?.map((l) => (
              <option key={l.label} value={l.label}>
                {`${l.label} (${l.count})`}
              </option>
            ))}
          </select>
        </>
      )}
    </div>
  );
}

/** A conversation's status (when not simply open) and labels, under its line in the list. */
export function ConversationTags({ conversation }: { conversation: Conversation }) {
  const { t } = useInboxText();
  if (conversation.status === 'open' && conversation.labels.length === 0) return null;
  return (
    <span className="row3">
      {conversation.status !== 'open' && <span className={`status-pill status-${conversation.status}`}>{t(`status_${conversation.status}` as InboxKey)}</span>}
      {conversation.labels.map((label) => (
        <span key={label} className="label-chip">
          {label}
        </span>
      ))}
    </span>
  );
}

export const hasFilters = (f: ConversationFilters) => !!(f.assignee || f.status || f.label);
