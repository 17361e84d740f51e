import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** One line describing the machine and runtime, printed above every benchmark table. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  return `machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
}

/** The installed version of a package, for the benchmark header. */
export function packageVersion(name: string): string {
  // Some packages do not export their package.json: walk up from the resolved entry to find it.
  try {
    let folder = dirname(require.resolve(name));
    for (;;) {
      const manifest = join(folder, 'package.json');
      if (existsSync(manifest)) {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
        if (parsed.name === name && parsed.version) return parsed.version;
      }
      const parent = dirname(folder);
      if (parent === folder) return 'unknown';
      folder = parent;
    }
  } catch {
    return 'unknown';
  }
}

/** Wall time of `work` in seconds. */
export async function timed<T>(work: () => T | Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { seconds: (performance.now() - started) / 1000, result };
}

/** Samples the resident set size every 50 ms; `stop()` returns the peak in MB. */
export function peakMemory(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20);
    },
  };
}

/**
 * The process's peak resident set (MB) over a stretch of work, from the kernel's own high-water
 * mark (Linux: VmHWM in /proc/self/status, reset through /proc/self/clear_refs), so a synchronous
 * call that blocks the event loop is measured too. Elsewhere falls back to {@link peakMemory}.
 */
export function kernelPeakMemory(): { stop(): number } {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    return peakMemory();
  }
  return {
    stop() {
      const status = readFileSync('/proc/self/status', 'utf8');
      const kilobytes = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
      return Math.round(kilobytes / 1024);
    },
  };
}

/** `--quick` on the command line or BENCH_QUICK=1: a small size for a smoke run. */
export const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
