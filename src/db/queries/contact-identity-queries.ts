import { sql } from 'kysely';
import type { ContactIdentity, IdentityLink, IdentityMatch } from '../../domain/contact-identity.ts';
import type { DbOrTx, Tx } from '../database.ts';

/**
 * The contacts an identity's parts name (a merged contact answers for the one it went into):
 * the phone by `contacts.phone`, a BSUID or LID by `contact_identities`.
 */
export async function findIdentityMatches(db: DbOrTx, workspaceId: string, identity: ContactIdentity): Promise<IdentityMatch[]> {
  const links: { kind: string; value: string }[] = [];
  if (identity.bsuid) links.push({ kind: 'bsuid', value: identity.bsuid });
  if (identity.lid) links.push({ kind: 'lid', value: identity.lid });
  const result = await sql<{ contact_id: string; kind: IdentityMatch['kind']; value: string; contact_phone: string | null; created_at: Date }>`
    select coalesce(c.merged_into_id, c.id) as contact_id, 'phone' as kind, c.phone as value,
      (select k.phone from contacts k where k.id = coalesce(c.merged_into_id, c.id)) as contact_phone, c.created_at
    from contacts c
    where c.workspace_id = ${workspaceId}::uuid and c.phone = ${identity.phone ?? null}::text
    union all
    select coalesce(c.merged_into_id, c.id), i.kind, i.value,
      (select k.phone from contacts k where k.id = coalesce(c.merged_into_id, c.id)), c.created_at
    from contact_identities i join contacts c on c.id = i.contact_id
    where i.workspace_id = ${workspaceId}::uuid and i.retired_at is null
      and (i.kind, i.value) in (select * from unnest(${links.map((l) => l.kind)}::text[], ${links.map((l) => l.value)}::text[]))
    order by created_at`.execute(db);
  return result.rows.map((r) => ({ contactId: r.contact_id, kind: r.kind, value: r.value, contactPhone: r.contact_phone }));
}

/** A new contact; answers false when its phone was taken meanwhile (the caller looks again). */
export async function insertContactWithIdentities(
  trx: Tx,
  row: { id: string; workspaceId: string; name: string; phone: string | null; language: string; now: Date; attach: readonly IdentityLink[] },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('contacts')
    .values({ id: row.id, workspace_id: row.workspaceId, name: row.name, phone: row.phone, language: row.language, created_at: row.now, updated_at: row.now })
    .onConflict((oc) => oc.columns(['workspace_id', 'phone']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return false;
  await attachIdentities(trx, row.workspaceId, row.id, row.attach, row.now);
  return true;
}

export async function attachIdentities(trx: Tx, workspaceId: string, contactId: string, links: readonly IdentityLink[], now: Date): Promise<void> {
  if (links.length === 0) return;
  await sql`
    insert into contact_identities (workspace_id, kind, value, contact_id, created_at)
    select ${workspaceId}::uuid, l.kind, l.value, ${contactId}::uuid, ${now}::timestamptz
    from unnest(${links.map((l) => l.kind)}::text[], ${links.map((l) => l.value)}::text[]) as l(kind, value)
    on conflict (workspace_id, kind, value) where retired_at is null do nothing`.execute(trx);
}

export async function setContactPhone(trx: Tx, contactId: string, phone: string, now: Date): Promise<void> {
  await trx.updateTable('contacts').set({ phone, updated_at: now }).where('id', '=', contactId).execute();
}

/**
 * One person, two contacts: `absorbed` goes into `kept`. Its identities move; its conversations
 * move to `kept` where `kept` has none on that channel, otherwise their messages move into
 * `kept`'s conversation (unread counts and the customer-service window folded in) and the
 * emptied conversation points at it. Nothing is removed.
 */
export async function mergeContacts(trx: Tx, workspaceId: string, keptId: string, absorbedIds: readonly string[], now: Date): Promise<void> {
  for (const absorbed of absorbedIds) {
    await sql`update contact_identities set contact_id = ${keptId}::uuid where contact_id = ${absorbed}::uuid and retired_at is null`.execute(trx);
    // Its phone is kept as a retired identity of the kept contact (the number is no longer its own key).
    await sql`
      insert into contact_identities (workspace_id, kind, value, contact_id, created_at, retired_at)
      select workspace_id, 'phone', phone, ${keptId}::uuid, ${now}::timestamptz, ${now}::timestamptz
      from contacts where id = ${absorbed}::uuid and phone is not null`.execute(trx);
    await sql`
      update contacts set merged_into_id = ${keptId}::uuid, updated_at = ${now}::timestamptz
      where id = ${absorbed}::uuid or merged_into_id = ${absorbed}::uuid`.execute(trx);
    const conversations = await trx
      .selectFrom('conversations as a')
      .leftJoin('conversations as k', (j) => j.onRef('k.channel_id', '=', 'a.channel_id').on('k.contact_id', '=', keptId).on('k.merged_into_id', 'is', null))
      .select(['a.id as absorbed_id', 'k.id as kept_id'])
      .where('a.workspace_id', '=', workspaceId)
      .where('a.contact_id', '=', absorbed)
      .where('a.merged_into_id', 'is', null)
      .execute();
    for (const c of conversations) {
      if (!c.kept_id) {
        await trx.updateTable('conversations').set({ contact_id: keptId }).where('id', '=', c.absorbed_id).execute();
        await trx.updateTable('messages').set({ contact_id: keptId }).where('conversation_id', '=', c.absorbed_id).execute();
        continue;
      }
      await trx.updateTable('messages').set({ conversation_id: c.kept_id, contact_id: keptId }).where('conversation_id', '=', c.absorbed_id).execute();
      await sql`
        update conversations k set
          unread_count = k.unread_count + a.unread_count,
          customer_last_message_at = greatest(k.customer_last_message_at, a.customer_last_message_at),
          last_message_at = greatest(k.last_message_at, a.last_message_at),
          last_message_text = case when a.last_message_at > k.last_message_at then a.last_message_text else k.last_message_text end
        from conversations a where k.id = ${c.kept_id}::uuid and a.id = ${c.absorbed_id}::uuid`.execute(trx);
      await trx.updateTable('conversations').set({ merged_into_id: c.kept_id, unread_count: 0 }).where('id', '=', c.absorbed_id).execute();
    }
  }
}

/**
 * The customer changed numbers: the contact moves to the new one, the old number stays on it as a
 * retired identity. A contact already holding the new number is the same person: merged in.
 */
export async function moveContactPhone(trx: Tx, workspaceId: string, contactId: string, newPhone: string, now: Date): Promise<void> {
  const holder = await trx
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('phone', '=', newPhone)
    .where('id', '!=', contactId)
    .executeTakeFirst();
  if (holder) {
    await mergeContacts(trx, workspaceId, contactId, [holder.id], now);
    await trx.updateTable('contacts').set({ phone: null }).where('id', '=', holder.id).execute();
  }
  await sql`
    insert into contact_identities (workspace_id, kind, value, contact_id, created_at, retired_at)
    select workspace_id, 'phone', phone, id, ${now}::timestamptz, ${now}::timestamptz
    from contacts where id = ${contactId}::uuid and phone is not null and phone <> ${newPhone}::text`.execute(trx);
  await trx.updateTable('contacts').set({ phone: newPhone, updated_at: now }).where('id', '=', contactId).execute();
}

/** A contact's current identities (for replies and the API). */
export async function identitiesOf(db: DbOrTx, contactIds: readonly string[]) {
  if (contactIds.length === 0) return [];
  return db
    .selectFrom('contact_identities')
    .select(['contact_id', 'kind', 'value', 'retired_at'])
    .where('contact_id', 'in', [...contactIds])
    .orderBy('created_at')
    .execute();
}
