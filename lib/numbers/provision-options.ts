import { parseArgs } from "node:util";
import { z } from "zod";
import { normalizePhone } from "../phone/normalize-phone";

export const PROVISION_USAGE = `usage: npm run numbers:provision -- --client ID --area-code 512 [--source "Google Ads"] [--pool 3] [--dry-run]
       [--name "Acme Plumbing" --primary +15125550100 [--sms-forward +15125550111]]
  --client       the Client ID of the rows to add (its existing rows give Client Name, Primary Number and the rest)
  --area-code    the US area code to buy in
  --source       the Source of the new rows (e.g. "Google Ads"); none: the client's main number
  --pool N       buy N numbers as the source's Pool (one per visitor on the site); without it, one Source number
  --dry-run      search and print what would be bought and added, changing nothing
  --name, --primary, --sms-forward
                 the client's name and numbers: needed for a client with no rows yet, else they replace the copied ones`;

// Enough for any pool a site needs; a typo (--pool 300) would otherwise buy hundreds of numbers.
export const MAX_POOL = 50;

const phone = (flag: string) =>
  z
    .string()
    .transform((raw, ctx) => {
      const e164 = normalizePhone(raw);
      if (e164) return e164;
      ctx.addIssue({ code: "custom", message: `${flag} "${raw}" is not a phone number` });
      return z.NEVER;
    })
    .optional();

const optionsSchema = z.object({
  client: z.string({ message: "--client is missing: give the Client ID of the rows to add" }).trim().min(1, "--client is empty: give the Client ID of the rows to add"),
  "area-code": z.string({ message: "--area-code is missing: give the US area code to buy in, e.g. --area-code 512" }).regex(/^[2-9]\d\d$/, "--area-code must be a US area code: three digits, not starting with 0 or 1, e.g. 512"),
  source: z.string().trim().min(1, "--source is empty: leave it out for the client's main number").max(100, "--source must be at most 100 characters").optional(),
  pool: z
    .string()
    .regex(/^\d+$/, "--pool must be a whole number of numbers, e.g. --pool 3")
    .transform(Number)
    .pipe(z.number().min(1, "--pool must be at least 1").max(MAX_POOL, `--pool must be at most ${MAX_POOL}; run the command again for more`))
    .optional(),
  "dry-run": z.boolean().default(false),
  name: z.string().trim().min(1, "--name is empty").optional(),
  primary: phone("--primary"),
  "sms-forward": phone("--sms-forward"),
});

export type ProvisionOptions = {
  clientId: string;
  areaCode: string;
  source?: string;
  /** How many numbers, and whether they are a Pool (else one Source number). */
  count: number;
  numberType: "Source" | "Pool";
  dryRun: boolean;
  clientName?: string;
  primaryNumber?: string;
  smsForwardNumber?: string;
};

/** The command line of `npm run numbers:provision`, or what is wrong with it in plain words. */
export function parseProvisionOptions(args: string[]): { ok: true; options: ProvisionOptions } | { ok: false; error: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        client: { type: "string" },
        "area-code": { type: "string" },
        source: { type: "string" },
        pool: { type: "string" },
        "dry-run": { type: "boolean" },
        name: { type: "string" },
        primary: { type: "string" },
        "sms-forward": { type: "string" },
      },
    }));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((issue) => issue.message).join("\n") };
  const options = parsed.data;
  return {
    ok: true,
    options: {
      clientId: options.client,
      areaCode: options["area-code"],
      source: options.source,
      count: options.pool ?? 1,
      numberType: options.pool === undefined ? "Source" : "Pool",
      dryRun: options["dry-run"],
      clientName: options.name,
      primaryNumber: options.primary,
      smsForwardNumber: options["sms-forward"],
    },
  };
}
