// Starts bench:scale's Airtable stand-in in its own process (serve-airtable.ts) and reads back what
// it saw.
import type { AirtableRow, LoggedRequest } from "../../support/stand-ins/airtable-api";
import { startTypeScript } from "../../support/run-command";
import type { AirtableProcessOptions } from "./serve-airtable";

export type BaseState = { id: string; requests: LoggedRequest[]; rows: AirtableRow[]; refused429: number; most: number };
export type AirtableProcess = { url: string; state: () => Promise<BaseState[]>; stop: () => Promise<void> };

export async function startAirtableProcess(options: AirtableProcessOptions): Promise<AirtableProcess> {
  const child = startTypeScript("tests/bench/scale/serve-airtable.ts", [JSON.stringify(options)], { env: {} });
  const deadline = Date.now() + 60_000;
  let listening: RegExpExecArray | null = null;
  while (!(listening = /listening (http:\/\/\S+)/.exec(child.output()))) {
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`the Airtable stand-in did not start:\n${child.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = listening[1];
  return {
    url,
    state: async () => ((await (await fetch(`${url}/__bench/state`)).json()) as { bases: BaseState[] }).bases,
    stop: child.stop,
  };
}
