/**
 * The category model's evaluation (docs/triage.md):
 *
 *   npm run bench:triage -- --data <file.jsonl>                    stratified 5-fold cross-validation
 *   npm run bench:triage -- --data <train.jsonl> --test <test.jsonl>  train on all of one, report on the other
 *
 * Each line of a file is {"text": "...", "label": "..."}. Prints top-1 and top-3 accuracy, macro-F1, per-category
 * precision and recall, the confusion matrix, training time and prediction latency — for the model and for a naive
 * Bayes baseline beside it — and ends with one line `top1=… top3=… macroF1=… n=…` (the model's) for scripts.
 * Without `--data`, it reads the development set beside the repository if present, and otherwise says it skipped.
 * Options: --folds 5, --c 1, --max-features 100000, --ngrams 2, --no-words (the feature choices docs/triage.md compares);
 * --train-size 100000: instead, time one training on that many texts drawn from the data (each a random 60–100 %
 * stretch of one, so that few repeat) — the scale of a large installation's history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CategoryModel, NaiveBayes, type Example } from '../packages/server/src/modules/triage/model.ts';
import { rng } from '../packages/server/src/modules/triage/random.ts';
import { readLabelledFile } from '../packages/server/src/modules/triage/examples.ts';
import { crossValidate, predictAll, score, type Evaluation, type Predictor } from '../packages/server/src/modules/triage/evaluation.ts';

const { values } = parseArgs({ options: {
  data: { type: 'string' }, test: { type: 'string' }, folds: { type: 'string', default: '5' }, c: { type: 'string', default: '1' }, 'max-features': { type: 'string', default: '100000' },
  ngrams: { type: 'string', default: '2' }, 'train-size': { type: 'string' }, 'no-words': { type: 'boolean', default: false }, 'no-baseline': { type: 'boolean', default: false },
} });
const dev = path.resolve(import.meta.dirname, '..', '..', 'shared', 'datasets', 'tipdm-2020c', 'dev.jsonl');
const dataFile = values.data ?? (fs.existsSync(dev) ? dev : undefined);
if (!dataFile || !fs.existsSync(dataFile)) { console.log(`triage benchmark skipped: no data file${values.data ? ` at ${values.data}` : ''}`); process.exit(0); }

const read = readLabelledFile;
const data = read(dataFile);
const features = { charNgrams: Number(values.ngrams), words: !values['no-words'] };
const trainModel = (xs: Example[]): Promise<Predictor> => CategoryModel.train(xs, { features, c: Number(values.c), maxFeatures: Number(values['max-features']) });
const trainBaseline = (xs: Example[]): Predictor => NaiveBayes.train(xs, features);

async function evaluate(train: (xs: Example[]) => Predictor | Promise<Predictor>): Promise<Evaluation & { trainSeconds: number }> {
  if (!values.test) return crossValidate(data, train, Number(values.folds));
  const test = read(values.test);
  const t = performance.now();
  const model = await train(data);
  const trainSeconds = (performance.now() - t) / 1000;
  const { pairs, timings } = predictAll(model, test);
  return { ...score(pairs, [...new Set([...data, ...test].map((e) => e.label))].sort(), timings), trainSeconds };
}
const f4 = (x: number) => x.toFixed(4);
function report(name: string, e: Evaluation & { trainSeconds: number }) {
  console.log(`\n${name}: top-1 ${f4(e.top1)}, top-3 ${f4(e.top3)}, macro-F1 ${f4(e.macroF1)} over ${e.n} texts; training ${e.trainSeconds.toFixed(1)} s on ${values.test ? data.length : Math.round((data.length * (Number(values.folds) - 1)) / Number(values.folds))} texts; prediction ${e.predictMs.toFixed(2)} ms mean, ${e.predictP95Ms.toFixed(2)} ms p95`);
  console.log('| category | precision | recall | F1 | texts |\n|---|---:|---:|---:|---:|');
  for (const c of e.perClass) console.log(`| ${c.label} | ${f4(c.precision)} | ${f4(c.recall)} | ${f4(c.f1)} | ${c.support} |`);
  console.log(`\nconfusion (rows: the true category; columns: predicted, in the same order)\n${e.labels.map((l, i) => `${l.padEnd(8, '　')} ${e.confusion[i]!.map((n) => String(n).padStart(5)).join('')}`).join('\n')}`);
}

if (values['train-size']) {
  const n = Number(values['train-size']);
  const random = rng(11);
  const drawn = Array.from({ length: n }, () => {
    const e = data[Math.floor(random() * data.length)]!;
    const len = Math.max(8, Math.floor(e.text.length * (0.6 + 0.4 * random())));
    const start = Math.floor(random() * (e.text.length - len + 1));
    return { text: e.text.slice(start, start + len), label: e.label };
  });
  const chars = drawn.reduce((s, e) => s + e.text.length, 0);
  const t = performance.now();
  const phases: string[] = [];
  await CategoryModel.train(drawn, { features, c: Number(values.c), maxFeatures: Number(values['max-features']), phase: (name, ms) => phases.push(`${name} ${(ms / 1000).toFixed(1)} s`) });
  console.log(`phases: ${phases.join(', ')}`);
  console.log(`training on ${n.toLocaleString('en')} texts (${Math.round(chars / n)} characters on average): ${((performance.now() - t) / 1000).toFixed(1)} s`);
  process.exit(0);
}
console.log(`triage benchmark: ${path.basename(dataFile)} (${data.length} texts, ${new Set(data.map((e) => e.label)).size} categories)${values.test ? `, tested on ${path.basename(values.test)}` : `, stratified ${values.folds}-fold cross-validation`}; features: character 1–${features.charNgrams}-grams${features.words ? ' + jieba words' : ''}`);
if (!values['no-baseline']) report('baseline: multinomial naive Bayes', await evaluate(trainBaseline));
const main = await evaluate(trainModel);
report(`model: TF-IDF + linear SVM (C=${values.c})`, main);
console.log(`top1=${f4(main.top1)} top3=${f4(main.top3)} macroF1=${f4(main.macroF1)} n=${main.n}`);
