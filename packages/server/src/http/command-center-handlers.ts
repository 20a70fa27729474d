import { pickLocale } from '@fengqiao/contracts';
import type { Services } from '../services.ts';
import type { Handlers } from './handlers.ts';

type CommandCenterOps = 'caseFigures' | 'figuresStream' | 'caseRanking' | 'exportRanking' | 'getAssessmentFormula' | 'putAssessmentFormula'
  | 'listWarnings' | 'acknowledgeWarning' | 'resolveWarning' | 'listWarningRules' | 'createWarningRule' | 'updateWarningRule';

/** How often a big screen's stream looks for a change, and sends a comment line to keep proxies from closing it. */
const STREAM_POLL_MS = 2_000;
const STREAM_KEEPALIVE_MS = 25_000;

/** Open big-screen streams, ended when the server closes (a stream is never idle, so it would hold the close). */
const streams = new Set<() => void>();
export function endStreams(): void { for (const stop of [...streams]) stop(); }

/** The command center's edges: one service call each; the big screen's stream. */
export function commandCenterHandlers(s: Services): Pick<Handlers, CommandCenterOps> {
  const c = s.commandCenter;
  return {
    caseFigures: ({ actor, query }) => c.figures(actor, query),
    caseRanking: ({ actor, query }) => c.ranking.ranking(actor, query),
    async exportRanking({ actor, query, req, reply }) {
      const file = await c.ranking.exportRanking(actor, query, query.locale ?? pickLocale(req.headers['accept-language']));
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header('x-content-type-options', 'nosniff');
      return file.body as never;
    },
    getAssessmentFormula: ({ params }) => c.ranking.formula(params.year),
    putAssessmentFormula: ({ actor, params, body }) => c.ranking.putFormula(actor, params.year, body),
    listWarnings: ({ actor, query }) => c.warnings.list(actor, query),
    acknowledgeWarning: ({ actor, params, body }) => c.warnings.act(actor, params.id, 'acknowledge', body.note),
    resolveWarning: ({ actor, params, body }) => c.warnings.act(actor, params.id, 'resolve', body.note),
    listWarningRules: ({ actor }) => c.warnings.listRules(actor),
    async createWarningRule({ actor, body, reply }) { reply.status(201); return c.warnings.createRule(actor, body); },
    updateWarningRule: ({ actor, params, body }) => c.warnings.updateRule(actor, params.id, body),

    /** Server-sent events: the first picture at once, then each change; a reconnecting screen starts again. */
    async figuresStream({ actor, query, req, reply }) {
      const first = await c.live.snapshot(actor, query.areaId); // scope errors answer as JSON, before the stream starts
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive',
        'x-content-type-options': 'nosniff', 'x-accel-buffering': 'no',
      });
      let last = '';
      let id = 0;
      const send = (data: unknown) => {
        const text = JSON.stringify(data);
        const { at: _at, ...rest } = data as { at: string };
        const key = JSON.stringify(rest);
        if (key === last) return;
        last = key;
        res.write(`id: ${++id}\nevent: figures\ndata: ${text}\n\n`);
      };
      res.write('retry: 3000\n\n');
      send(first);
      if (query.once) { res.end(); return undefined as never; }
      let busy = false;
      const poll = setInterval(() => {
        if (busy) return;
        busy = true;
        c.live.snapshot(actor, query.areaId).then(send, (e) => req.log.warn({ err: e }, 'figures stream')).finally(() => { busy = false; });
      }, STREAM_POLL_MS);
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), STREAM_KEEPALIVE_MS);
      const stop = () => { clearInterval(poll); clearInterval(keepAlive); streams.delete(stop); if (!res.writableEnded) res.end(); };
      streams.add(stop);
      req.raw.on('close', stop);
      res.on('error', stop);
      return undefined as never;
    },
  };
}
