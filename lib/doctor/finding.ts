/**
 * One line of the doctor's report: what was checked, and in plain words what was found and what to
 * do. A note is worth knowing but not wrong; only problems make the doctor fail.
 */
export type Finding = { check: string; status: "ok" | "problem" | "note"; says: string };

export const ok = (check: string, says: string): Finding => ({ check, status: "ok", says });
export const problem = (check: string, says: string): Finding => ({ check, status: "problem", says });
export const note = (check: string, says: string): Finding => ({ check, status: "note", says });
