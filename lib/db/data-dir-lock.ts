import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";

export class DataDirLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is open in another process (pid ${pid}). ` +
        "Only the Leadline server opens it: stop that process, or set DATABASE_URL to use PostgreSQL.",
    );
    this.name = "DataDirLockedError";
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * PGlite corrupts a data folder opened by two processes, so the folder is claimed with a lock file
 * holding our pid, created exclusively. A lock left by a dead process is moved aside by rename,
 * which only one contender can win, before claiming. Returns the function that releases it.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      const release = () => {
        if (readHolder(lockFile) === process.pid) rmSync(lockFile, { force: true });
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(lockFile);
    if (holder === process.pid) return () => {};
    if (holder !== undefined && isRunning(holder)) throw new DataDirLockedError(dataDir, holder);
    try {
      renameSync(lockFile, `${lockFile}.stale-${process.pid}`);
      rmSync(`${lockFile}.stale-${process.pid}`, { force: true });
    } catch {
      // another process moved it first; try again
    }
  }
  throw new Error(`could not claim ${lockFile}; remove it if no Leadline server is running`);
}
