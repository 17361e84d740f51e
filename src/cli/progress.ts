/** A progress reporter for long runs: a bar on stderr when it is a terminal, silence otherwise. */
export function createProgress(
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
): { update(done: number, total: number): void; finish(): void } {
  if (!stderr.isTTY) return { update() {}, finish() {} };
  const started = Date.now();
  let lastDraw = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      const seconds = ((now - started) / 1000).toFixed(1);
      stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${seconds}s`,
      );
    },
    finish() {
      stderr.write('\n');
    },
  };
}
