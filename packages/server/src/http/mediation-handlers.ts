import { MediationActions, type MediationAction } from '@fengqiao/contracts';
import type { Services } from '../services.ts';
import type { HandlerContext, Handlers } from './handlers.ts';

type MediationOps = 'openMediation' | 'createMediation' | 'listMediations' | 'getMediation' | 'unmaskParty' | 'mediationAgreement' | 'mediationFileCover'
  | 'listMediators' | 'createMediator' | 'recommendMediators' | 'listRooms' | 'createRoom' | 'roomBookings' | 'mediationFigures'
  | 'createSweep' | 'listSweeps' | 'getSweep' | 'reportSweep' | `mediation_${MediationAction}`;

/** The mediation module's edges: one service call each. */
export function mediationHandlers(s: Services): Pick<Handlers, MediationOps> {
  const m = s.mediation;
  const actions = Object.fromEntries(MediationActions.map((a) => [`mediation_${a}`,
    ({ actor, params, body }: HandlerContext<`mediation_${MediationAction}`>) => m.act(actor, params.id, a, body as never)])) as unknown as Pick<Handlers, `mediation_${MediationAction}`>;
  return {
    ...actions,
    async openMediation({ actor, params, body, reply }) { reply.status(201); return m.open(actor, params.id, body); },
    async createMediation({ actor, body, reply }) { reply.status(201); return m.create(actor, body); },
    listMediations: ({ actor, query }) => m.list(actor, query),
    getMediation: ({ actor, params }) => m.get(actor, params.id),
    unmaskParty: ({ actor, params, body }) => m.unmaskParty(actor, params.id, params.partyId, body.field, body.reason),
    async mediationAgreement({ actor, params, query, reply }) {
      const doc = await m.agreement(actor, params.id, query.format ?? 'docx');
      reply.header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
      if (doc.type === 'html') return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(doc.body) as never;
      return reply.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`).send(doc.body) as never;
    },
    async mediationFileCover({ actor, params, reply }) {
      const html = await m.fileCover(actor, params.id);
      return reply.type('text/html; charset=utf-8').header('x-content-type-options', 'nosniff').header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(html) as never;
    },
    listMediators: ({ actor, query }) => m.listMediators(actor, query),
    async createMediator({ actor, body, reply }) { reply.status(201); return m.createMediator(actor, body); },
    recommendMediators: ({ actor, params }) => m.recommend(actor, params.id),
    listRooms: ({ actor, query }) => m.listRooms(actor, query),
    async createRoom({ actor, body, reply }) { reply.status(201); return m.createRoom(actor, body); },
    roomBookings: ({ actor, params, query }) => m.roomBookings(actor, params.id, query.from),
    mediationFigures: ({ actor, query }) => m.figures(actor, query),
    async createSweep({ actor, body, reply }) { reply.status(201); return m.createSweep(actor, body); },
    listSweeps: ({ actor, query }) => m.listSweeps(actor, query),
    getSweep: ({ actor, params }) => m.getSweep(actor, params.id),
    reportSweep: ({ actor, params, body }) => m.reportSweep(actor, params.id, body),
  };
}
