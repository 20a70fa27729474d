// Open-loop intake: `count` reports at `rate` a second, each sent at its due time whether or not earlier answers
// have come (so a slow server cannot slow the sender down and hide its queue). One in `groupEvery` carries a
// group-incident sign. Runs in a worker thread, off the server's event loop; answers with each such report's
// case id and the wall-clock time (Date.now()) its acknowledgement arrived, and the rate actually achieved.
import { parentPort, workerData } from 'node:worker_threads';

const { url, headers, rate, count, groupEvery, areaId, categoryId } = workerData;
const acked = [];
let errors = 0;
const sent = [];
const started = performance.now();
for (let i = 0; i < count; i++) {
  const wait = started + (i * 1000) / rate - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const group = i % groupEvery === 0;
  sent.push(fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ channel: 'hotline', areaId, categoryId, description: group ? `工地工人聚集讨薪 ${i}` : `路灯不亮 ${i}`, peopleInvolved: group ? 30 : 1 }),
  }).then(async (r) => {
    const j = await r.json();
    if (!r.ok) { errors++; return; }
    if (group) acked.push({ id: j.case.id, at: Date.now() });
  }, () => { errors++; }));
}
const sendSeconds = (performance.now() - started) / 1000;
await Promise.all(sent);
parentPort.postMessage({ acked, errors, rate: Math.round(count / sendSeconds) });
