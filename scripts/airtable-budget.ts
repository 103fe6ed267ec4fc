// npm run airtable:budget -- --clients 20 --calls 3000 --texts 2000: the Airtable API calls a month
// this deployment would make, item by item, without and with the Airtable webhook, and the plan each
// needs. Counted from vercel.json's schedules and the constants the code runs on.
import { parseArgs } from "node:util";
import { z } from "zod";
import { estimateMonthlyCalls, type BudgetInput } from "../lib/airtable/estimate-monthly-calls";
import { formatBudget } from "../lib/airtable/format-budget";

const USAGE = `usage: npm run airtable:budget -- --clients 20 --calls 3000 --texts 2000
  --clients N        clients (required)
  --calls N          calls a month, all clients together (required)
  --texts N          texts a month: from leads, relayed replies, inbox replies and text-backs (required)
  --numbers N        tracking numbers, one config row each (default: one per client)
  --bases N          bases holding a Lead Pipeline: yours, plus clients' own (default 1)
  --config-edits N   config rows edited a month (default: one per number)
  --status-edits N   statuses staff change by hand in Airtable a month (default: one per call)
  --new-numbers N    tracking numbers added a month (default: one per client)`;

const FLAGS = ["clients", "calls", "texts", "numbers", "bases", "config-edits", "status-edits", "new-numbers"] as const;
const REQUIRED = new Set<string>(["clients", "calls", "texts"]);

const wholeNumber = (flag: string) =>
  z.string({ message: `--${flag} is required` }).regex(/^\d+$/, `--${flag} must be a whole number, such as --${flag} 20`).transform(Number);

function readFlags(args: string[]): BudgetInput {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args, options: Object.fromEntries(FLAGS.map((flag) => [flag, { type: "string" }])), strict: true }).values as Record<string, string | undefined>;
  } catch (error) {
    const { message } = error as Error;
    const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown) throw new Error(`${unknown} is not one of this command's flags (they are listed below)`);
    const flag = /^Option '(--[\w-]+)/.exec(message)?.[1];
    throw new Error(flag ? `${flag} needs a whole number after it, such as ${flag} 20` : message);
  }
  const problems: string[] = [];
  const read = (flag: (typeof FLAGS)[number], fallback: number): number => {
    if (values[flag] === undefined && !REQUIRED.has(flag)) return fallback;
    const parsed = wholeNumber(flag).safeParse(values[flag]);
    if (parsed.success) return parsed.data;
    problems.push(parsed.error.issues[0].message + (values[flag] === undefined ? "" : ` (got "${values[flag]}")`));
    return 0;
  };
  const clients = read("clients", 0);
  const calls = read("calls", 0);
  const numbers = read("numbers", clients);
  const input: BudgetInput = {
    clients,
    calls,
    texts: read("texts", 0),
    numbers,
    pipelineBases: read("bases", 1),
    configEdits: read("config-edits", numbers),
    statusEdits: read("status-edits", calls),
    newNumbers: read("new-numbers", clients),
  };
  if (input.pipelineBases < 1 && problems.length === 0) problems.push("--bases must be at least 1: your own base holds a Lead Pipeline");
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return input;
}

try {
  const input = readFlags(process.argv.slice(2));
  console.log(formatBudget(input, estimateMonthlyCalls(input)));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(1);
}
