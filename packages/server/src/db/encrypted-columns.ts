/**
 * Every column that holds ciphertext (lib/personal-data.ts), with the field name bound into it and the blind
 * index computed from the same plaintext. Key rotation walks this list; a test fails when a column holding
 * ciphertext is missing from it. A new encrypted column is declared here, next to the schema.
 */
export interface EncryptedColumn {
  /** The column holding `fq1.<key>.<payload>`. */
  column: string;
  /** The field name bound into the ciphertext as associated data. */
  field: string;
  /** The keyed blind index of the same plaintext, recomputed with it. */
  blindIndex?: string;
}
export interface EncryptedTable { table: string; id: 'uuid' | 'int'; columns: EncryptedColumn[] }

export const ENCRYPTED_COLUMNS: readonly EncryptedTable[] = [
  { table: 'users', id: 'uuid', columns: [
    { column: 'display_name_enc', field: 'users.display_name' }, { column: 'phone_enc', field: 'users.phone', blindIndex: 'phone_bidx' }] },
  { table: 'cases', id: 'uuid', columns: [
    { column: 'reporter_name_enc', field: 'cases.reporter_name' }, { column: 'reporter_phone_enc', field: 'cases.reporter_phone', blindIndex: 'reporter_phone_bidx' },
    { column: 'tracking_secret_enc', field: 'cases.tracking_secret' }] },
  { table: 'sms_messages', id: 'int', columns: [{ column: 'phone_enc', field: 'sms.phone' }] },
  { table: 'people', id: 'uuid', columns: [
    { column: 'name_enc', field: 'people.name' }, { column: 'id_number_enc', field: 'people.id_number', blindIndex: 'id_number_bidx' },
    { column: 'phone_enc', field: 'people.phone', blindIndex: 'phone_bidx' }, { column: 'address_enc', field: 'people.address' }] },
  { table: 'person_groups', id: 'int', columns: [{ column: 'details_enc', field: 'person_groups.details' }] },
  { table: 'registry_organizations', id: 'int', columns: [
    { column: 'contact_name_enc', field: 'registry_organizations.contact_name' }, { column: 'contact_phone_enc', field: 'registry_organizations.contact_phone' }] },
  { table: 'mediation_parties', id: 'int', columns: [
    { column: 'name_enc', field: 'mediation_parties.name' }, { column: 'id_number_enc', field: 'mediation_parties.id_number', blindIndex: 'id_number_bidx' },
    { column: 'phone_enc', field: 'mediation_parties.phone' }, { column: 'address_enc', field: 'mediation_parties.address' },
    { column: 'agent_name_enc', field: 'mediation_parties.agent_name' }, { column: 'agent_phone_enc', field: 'mediation_parties.agent_phone' }] },
  { table: 'mediation_sessions', id: 'int', columns: [{ column: 'minutes_enc', field: 'mediation_sessions.minutes' }] },
  { table: 'feed_sources', id: 'uuid', columns: [{ column: 'secret_enc', field: 'feed_sources.secret' }] },
  { table: 'webhook_subscriptions', id: 'uuid', columns: [{ column: 'secret_enc', field: 'webhook_subscriptions.secret' }] },
];
