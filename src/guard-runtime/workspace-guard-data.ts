import type { Db } from '../db/database.ts';
import { listAllowEntries } from '../db/queries/guard-feedback-queries.ts';
import { listCatalog, listRecentContactNames, listUserNames } from '../db/queries/guard-queries.ts';
import { getWorkspace } from '../db/queries/workspace-queries.ts';
import type { GuardAllowEntry, GuardBusiness, GuardCatalogItem } from '../domain/guard/types.ts';
import { type EffectiveGuardPolicy, effectiveGuardPolicy, type StoredGuardPolicy } from '../domain/guard-settings.ts';

export interface WorkspaceGuardData {
  country: string;
  language: 'fr' | 'en';
  business: GuardBusiness;
  catalog: GuardCatalogItem[];
  policy: EffectiveGuardPolicy;
  userNames: Map<string, string>;
  recentContacts: { id: string; name: string }[];
  /** The allow-list and glossary (active entries): findings on these phrases are dropped. */
  allow: GuardAllowEntry[];
}

// Read on every send and every keystroke check; changed rarely. Changes made by this process
// invalidate at once; the lifetime bounds staleness otherwise.
const TTL_MS = 5_000;
const RECENT_CONTACTS = 300;

/** What the guard needs to know about a workspace, cached per workspace. */
export class WorkspaceGuardDataCache {
  private readonly entries = new Map<string, { data: Promise<WorkspaceGuardData>; expires: number }>();

  get(db: Db, workspaceId: string): Promise<WorkspaceGuardData> {
    const hit = this.entries.get(workspaceId);
    if (hit && hit.expires > Date.now()) return hit.data;
    const data = load(db, workspaceId);
    this.entries.set(workspaceId, { data, expires: Date.now() + TTL_MS });
    data.catch(() => this.entries.delete(workspaceId));
    return data;
  }

  invalidate(workspaceId: string): void {
    this.entries.delete(workspaceId);
  }
}

async function load(db: Db, workspaceId: string): Promise<WorkspaceGuardData> {
  const [workspace, catalog, users, contacts, allowed] = await Promise.all([
    getWorkspace(db, workspaceId),
    listCatalog(db, workspaceId, { includeArchived: false }),
    listUserNames(db, workspaceId),
    listRecentContactNames(db, workspaceId, RECENT_CONTACTS),
    listAllowEntries(db, workspaceId, { includeRemoved: false }),
  ]);
  if (!workspace) throw new Error(`workspace ${workspaceId} not found`);
  const staff = [...new Set([...(workspace.staff_names), ...users.map((u) => u.name)])];
  return {
    country: workspace.country,
    language: workspace.language === 'en' ? 'en' : 'fr',
    business: {
      ...(workspace.business_name ? { name: workspace.business_name } : {}),
      phones: workspace.business_phones,
      emails: workspace.business_emails,
      ibans: workspace.business_ibans,
      addresses: workspace.business_addresses,
      staff,
    },
    catalog: catalog.map((c) => ({ name: c.name, price: Number(c.price), currency: c.currency })),
    policy: effectiveGuardPolicy(workspace.guard_policy as StoredGuardPolicy),
    userNames: new Map(users.map((u) => [u.id, u.name])),
    recentContacts: contacts,
    allow: allowed.map((e) => ({ text: e.phrase, ...(e.kind ? { kind: e.kind } : {}), ...(e.category ? { category: e.category } : {}) })),
  };
}
