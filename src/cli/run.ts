import { ConfigError } from '../platform/config.ts';
import { DataFolderLockedError } from '../platform/db/engine.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs a command's main with its arguments (npm's `--` removed) and sets the exit code. Problems
 * people can fix (bad settings, a data folder in use, and the command's own `expected` errors) get
 * their message alone; anything else keeps its stack for a bug report.
 */
export function runCommand(main: (args: string[]) => Promise<number>, expected: ErrorClass[] = []): void {
  main(process.argv.slice(2).filter((arg) => arg !== '--')).then(
    (exitCode) => {
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      const known = [ConfigError, DataFolderLockedError, ...expected].some((kind) => error instanceof kind);
      console.error(known ? (error as Error).message : error);
      process.exitCode = 1;
    },
  );
}
