import type { Jieba } from '@node-rs/jieba';
export function segmenter(): Jieba;
export function normalize(text: string): string;
export const FUNCTION_WORDS: ReadonlySet<string>;
export function tokens(text: string): string[];
