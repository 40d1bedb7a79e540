/** Latency percentiles and tables for the benchmarks. */

export function percentile(sortedMs: number[], fraction: number): number {
  if (sortedMs.length === 0) return NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil(fraction * sortedMs.length) - 1));
  return sortedMs[index]!;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  /** Requests a second for this kind alone, over the whole run's wall time. */
  perSecond: number;
}

export function summarise(samplesMs: number[], wallSeconds: number): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    perSecond: sorted.length / wallSeconds,
  };
}

export function formatMs(ms: number): string {
  if (Number.isNaN(ms)) return '–';
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

/** A Markdown table, so that results paste straight into bench/RESULTS.md. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/**
 * Runs `total` requests through `concurrency` workers, taking the next request from `nextRequest`
 * each time, and records each request's latency under its kind.
 */
export async function drive<K extends string>(
  total: number,
  concurrency: number,
  nextRequest: (sequence: number) => { kind: K; run: () => Promise<void> },
): Promise<{ samples: Map<K, number[]>; wallSeconds: number; errors: number }> {
  const samples = new Map<K, number[]>();
  let issued = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < total) {
        const sequence = issued++;
        const { kind, run } = nextRequest(sequence);
        const begin = performance.now();
        try {
          await run();
        } catch (error) {
          errors += 1;
          if (errors <= 3) console.error(`request failed (${kind}):`, error instanceof Error ? error.message : error);
          continue;
        }
        const list = samples.get(kind) ?? [];
        list.push(performance.now() - begin);
        samples.set(kind, list);
      }
    }),
  );
  return { samples, wallSeconds: (performance.now() - started) / 1000, errors };
}
