/** The parties of a dispute: checked, encrypted, masked; revealed one field at a time with a reason. */
import { maskIdNumber, maskName, maskPhone, type PartyInput } from '@fengqiao/contracts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { AppError } from '../../lib/errors.ts';
import { idNumberProblem, isCreditCode, isMobile } from '../registry/identifiers.ts';
import type { PartyRow } from './mediation.repository.ts';

/** The field names bound into each ciphertext (db/encrypted-columns.ts lists the same). */
export const PARTY_FIELDS = {
  name: 'mediation_parties.name', idNumber: 'mediation_parties.id_number', phone: 'mediation_parties.phone',
  address: 'mediation_parties.address', agentName: 'mediation_parties.agent_name', agentPhone: 'mediation_parties.agent_phone',
} as const;
export type PartyField = keyof typeof PARTY_FIELDS;
/** Session minutes (笔录), encrypted at rest. */
export const MINUTES_FIELD = 'mediation_sessions.minutes';

const clean = (v: string | null | undefined) => (v ?? '').trim() || null;

const idOf = (p: PartyInput) => {
  const idNumber = clean(p.idNumber)?.toUpperCase() ?? null;
  return { idNumber, idType: p.idType ?? (idNumber ? (p.kind === 'organization' ? 'credit_code' : 'resident_id') : null) };
};

/**
 * Checks every party (a resident ID by GB 11643, a credit code by GB 32100, mobile or landline numbers, an
 * applicant and a respondent); all or nothing. The problem names the party and the check, never the value.
 */
export function checkParties(parties: PartyInput[]): void {
  const problems: string[] = [];
  parties.forEach((p, i) => {
    const { idNumber, idType } = idOf(p);
    const why = idNumber && idType === 'resident_id' ? idNumberProblem(idNumber) : null;
    if (why) problems.push(`#${i + 1} ID number (${why})`);
    if (idNumber && idType === 'credit_code' && !isCreditCode(idNumber)) problems.push(`#${i + 1} credit code`);
    for (const [field, v] of [['phone', clean(p.phone)], ['agentPhone', clean(p.agentPhone)]] as const) {
      if (v && !isMobile(v) && !/^0\d{2,3}-?\d{7,8}$/.test(v)) problems.push(`#${i + 1} ${field}`);
    }
  });
  if (problems.length) throw new AppError('MEDIATION_PARTY_INVALID', { detail: problems.join('; ') });
  if (!parties.some((p) => p.role === 'applicant') || !parties.some((p) => p.role === 'respondent')) {
    throw new AppError('MEDIATION_PARTY_INVALID', { detail: 'an applicant (申请人) and a respondent (被申请人) are needed' });
  }
}

/** The parties' rows, encrypted; checkParties first. */
export function prepareParties(keys: KeyRing, caseId: string, parties: PartyInput[]) {
  checkParties(parties);
  return parties.map((p) => {
    const { idNumber, idType } = idOf(p);
    const enc = (field: PartyField, v: string | null) => (v ? keys.encrypt(PARTY_FIELDS[field], v) : null);
    return {
      caseId, role: p.role, kind: p.kind, nameEnc: keys.encrypt(PARTY_FIELDS.name, p.name.trim()), idType,
      idNumberEnc: enc('idNumber', idNumber), idNumberBidx: idNumber ? keys.blindIndex(PARTY_FIELDS.idNumber, idNumber) : null,
      phoneEnc: enc('phone', clean(p.phone)), addressEnc: enc('address', clean(p.address)),
      agentNameEnc: enc('agentName', clean(p.agentName)), agentPhoneEnc: enc('agentPhone', clean(p.agentPhone)),
    };
  });
}

/** A party as the API shows it: a person's name, ID number and phones masked; an organisation's name in clear. */
export function presentParty(keys: KeyRing, r: PartyRow) {
  const dec = (field: PartyField, v: string | null) => (v ? keys.decrypt(PARTY_FIELDS[field], v) : null);
  const name = keys.decrypt(PARTY_FIELDS.name, r.nameEnc);
  const id = dec('idNumber', r.idNumberEnc);
  const phone = dec('phone', r.phoneEnc);
  const agentName = dec('agentName', r.agentNameEnc);
  const agentPhone = dec('agentPhone', r.agentPhoneEnc);
  return {
    id: r.id, role: r.role as PartyInput['role'], kind: r.kind as PartyInput['kind'], name: r.kind === 'person' ? maskName(name) : name,
    idType: r.idType, idNumber: id ? (r.idType === 'resident_id' ? maskIdNumber(id) : r.kind === 'organization' ? id : `${id.slice(0, 2)}****${id.slice(-2)}`) : null,
    phone: phone ? maskPhone(phone) : null, hasAddress: Boolean(r.addressEnc),
    agentName: agentName ? maskName(agentName) : null, agentPhone: agentPhone ? maskPhone(agentPhone) : null,
  };
}

/** One field in clear (the caller audits it). */
export function partyField(keys: KeyRing, r: PartyRow, field: PartyField): string | null {
  const enc = { name: r.nameEnc, idNumber: r.idNumberEnc, phone: r.phoneEnc, address: r.addressEnc, agentName: r.agentNameEnc, agentPhone: r.agentPhoneEnc }[field];
  return enc ? keys.decrypt(PARTY_FIELDS[field], enc) : null;
}

/** Names in clear for the agreement document (printed and signed by the parties themselves). */
export function partyForDocument(keys: KeyRing, r: PartyRow) {
  return {
    role: r.role, kind: r.kind, name: keys.decrypt(PARTY_FIELDS.name, r.nameEnc), idType: r.idType,
    idNumber: partyField(keys, r, 'idNumber'), phone: partyField(keys, r, 'phone'), address: partyField(keys, r, 'address'),
    agentName: partyField(keys, r, 'agentName'),
  };
}
