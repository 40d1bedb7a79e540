import cliProgress from 'cli-progress';

export interface Progress {
  /** Moves the count forward by `by` (default 1). */
  increment(by?: number): void;
  /** Sets the total once it is known (for example after counting a file's lines). */
  setTotal(total: number): void;
  /** Ends the bar and prints a closing summary line. */
  stop(summary?: string): void;
}

export interface ProgressOptions {
  /** Where the output goes; standard error by default so that piped data stays clean. */
  stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Force a plain-lines report even on a terminal (tests, CI logs). */
  plain?: boolean;
  /** Plain mode prints a line at most this often (milliseconds). */
  intervalMs?: number;
  /** A clock for tests. */
  now?: () => number;
}

/**
 * Long work (imports, seeding, exports) reports progress: a bar on a terminal, and on anything else
 * (CI logs, files) a plain line every few seconds that still says how far along it is.
 */
export function createProgress(label: string, total: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const isTty = !options.plain && 'isTTY' in stream && Boolean((stream as NodeJS.WriteStream).isTTY);
  let done = 0;
  let currentTotal = total;

  const rate = () => {
    const seconds = Math.max((now() - startedAt) / 1000, 0.001);
    return Math.round(done / seconds);
  };

  if (isTty) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | eta {eta_formatted}`,
        stream: stream as NodeJS.WriteStream,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(currentTotal, 0, { rate: 0 });
    return {
      increment(by = 1) {
        done += by;
        bar.update(done, { rate: rate() });
      },
      setTotal(newTotal) {
        currentTotal = newTotal;
        bar.setTotal(newTotal);
      },
      stop(summary) {
        bar.update(done, { rate: rate() });
        bar.stop();
        if (summary) stream.write(`${summary}\n`);
      },
    };
  }

  const intervalMs = options.intervalMs ?? 2000;
  let lastPrintedAt = startedAt;
  const line = () => {
    const percent = currentTotal > 0 ? ` (${Math.floor((done / currentTotal) * 100)}%)` : '';
    stream.write(`${label}: ${done}/${currentTotal}${percent}, ${rate()}/s\n`);
  };
  return {
    increment(by = 1) {
      done += by;
      if (now() - lastPrintedAt >= intervalMs) {
        lastPrintedAt = now();
        line();
      }
    },
    setTotal(newTotal) {
      currentTotal = newTotal;
    },
    stop(summary) {
      line();
      if (summary) stream.write(`${summary}\n`);
    },
  };
}
