// The category model's reading of a text — normalised, segmented by jieba, function words dropped — in plain
// JavaScript, so that the worker threads which segment a large training set (tokenize-pool.ts) load it without
// TypeScript's loader. Types: tokens.d.mts; features.ts builds the model's terms on it.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
let jieba = null;
/** The segmenter with its bundled dictionary, loaded on first use (about 0.3 s). */
export function segmenter() {
  if (!jieba) {
    const { Jieba } = require('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict');
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

const NOT_TEXT = /[^\p{L}\p{N}]+/gu;
/** The text as the model compares it: NFKC, lower case, no punctuation, spaces or symbols, each run of digits one `0`. */
export function normalize(text) {
  return text.normalize('NFKC').toLowerCase().replace(NOT_TEXT, '').replace(/\p{N}+/gu, '0');
}

/**
 * Function words dropped before the terms are taken: a punctuated report ("我们小区的路灯坏了") and a terse ledger
 * line ("小区路灯坏") then give the same character n-grams. Whole jieba tokens only — 的 inside 目的 stays.
 */
export const FUNCTION_WORDS = new Set(('的 地 得 了 着 过 吗 呢 吧 啊 呀 嘛 哦 哈 么 是 在 我 我们 你 你们 您 他 他们 她 她们 它 它们 咱们 这 那 这个 那个 这些 那些 '
  + '和 与 及 或 而 也 都 就 又 还 被 把 让 给 对 从 向 于 以 之 其 并 且 但 但是 而且 并且 因为 所以 如果 虽然 可是 然后 一个 一些').split(' '));

/** The text's tokens as the model reads them: normalised, segmented, function words dropped. */
export function tokens(text) {
  const t = normalize(text);
  return t ? segmenter().cut(t, false).filter((w) => !FUNCTION_WORDS.has(w)) : [];
}

/** A worker of tokenize-pool.ts: texts in, each text's tokens joined by U+0001 out (one string crosses, not arrays). */
if (parentPort && workerData?.fengqiaoTokens) {
  parentPort.on('message', ({ id, texts }) => {
    parentPort.postMessage({ id, joined: texts.map((t) => tokens(t).join('\u0001')) });
  });
}
