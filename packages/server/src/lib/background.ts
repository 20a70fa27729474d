/**
 * A background loop for `serve`: every `intervalMs`, `work` runs once more — never two at a time — with
 * `isStopped` to end a long round early. The returned function stops the loop and waits for the round in hand.
 */
export function everyInterval(intervalMs: number, work: (isStopped: () => boolean) => Promise<unknown>, onError?: (e: unknown) => void): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(() => work(() => stopped)).catch((e) => onError?.(e));
  }, intervalMs);
  return async () => { stopped = true; clearInterval(timer); await running; };
}
