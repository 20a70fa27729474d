// autocannon's request hook for bench/feeds.bench.ts, run in its worker thread: each request gets its own body,
// signed as a platform signs it, or the staff intake's body with its token (settings in FQ_BENCH_REQUEST).
const crypto = require('node:crypto');

const cfg = JSON.parse(process.env.FQ_BENCH_REQUEST);
const prefix = crypto.randomUUID().slice(0, 8);
let n = 0;

module.exports = function setupRequest(req) {
  if (cfg.kind === 'intake') {
    return { ...req, body: cfg.body, headers: { 'content-type': 'application/json', authorization: `Bearer ${cfg.token}` } };
  }
  const i = n++;
  const body = JSON.stringify({ messageId: `${prefix}-${i}`, deviceId: `D-${i % cfg.devices}`, type: 'smoke', event: 'alarm', at: new Date().toISOString(), detail: '烟雾浓度超限' });
  const ts = Math.floor(Date.now() / 1000);
  const sig = crypto.createHmac('sha256', cfg.secret).update(`${ts}.${body}`).digest('hex');
  return { ...req, body, headers: { 'content-type': 'application/json', 'x-fq-timestamp': String(ts), 'x-fq-signature': `sha256=${sig}` } };
};
