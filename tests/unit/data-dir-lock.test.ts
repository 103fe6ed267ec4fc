import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError } from "@/lib/db/data-dir-lock";

const freshDir = () => path.join(mkdtempSync(path.join(tmpdir(), "leadline-lock-")), "pglite");

describe("the embedded database's data folder lock", () => {
  it("refuses a folder held by a running process, naming it", async () => {
    const dataDir = freshDir();
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      writeFileSync(`${dataDir}.lock`, String(holder.pid));
      expect(() => acquireDataDirLock(dataDir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dataDir)).toThrow(`open in another process (pid ${holder.pid})`);
    } finally {
      holder.kill();
    }
  });

  it("takes over a lock left by a process that is gone, and an empty lock file", () => {
    for (const leftover of ["999999999", ""]) {
      const dataDir = freshDir();
      writeFileSync(`${dataDir}.lock`, leftover);
      const release = acquireDataDirLock(dataDir);
      expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(String(process.pid));
      release();
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    }
  });

  it("does not delete a lock another process has claimed since", () => {
    const dataDir = freshDir();
    const release = acquireDataDirLock(dataDir);
    writeFileSync(`${dataDir}.lock`, "12345");
    release();
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe("12345");
  });
});
