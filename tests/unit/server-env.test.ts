import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseServerEnv } from "@/lib/env";

const production = {
  NODE_ENV: "production",
  PUBLIC_BASE_URL: "https://leads.example.com",
  TWILIO_AUTH_TOKEN: "token",
  DATABASE_URL: "postgresql://leadline:secret@db.example.com:5432/postgres",
};

describe("the server environment", () => {
  it("refuses to start in production without TWILIO_AUTH_TOKEN, naming it", () => {
    expect(() => parseServerEnv({ ...production, TWILIO_AUTH_TOKEN: undefined })).toThrow(/TWILIO_AUTH_TOKEN is required in production/);
  });

  it("refuses to start in production without PUBLIC_BASE_URL, naming it", () => {
    expect(() => parseServerEnv({ ...production, PUBLIC_BASE_URL: "" })).toThrow(/PUBLIC_BASE_URL is required in production/);
  });

  it.each([{}, { DEMO_MODE: "true" }])("refuses to start in production with no database, saying what to set (%o)", (extra) => {
    const start = () => parseServerEnv({ ...production, DATABASE_URL: undefined, ...extra });
    expect(start).toThrow(/DATABASE_URL is required in production: set it to your Postgres or Supabase connection string/);
    expect(start).toThrow(/embedded database needs a writable LEADLINE_DATA_DIR, which serverless platforms do not have/);
  });

  it("runs the embedded database in production only where LEADLINE_DATA_DIR is set on purpose", () => {
    const env = parseServerEnv({ ...production, DATABASE_URL: "", LEADLINE_DATA_DIR: "/srv/leadline" });
    expect(env).toMatchObject({ databaseUrl: undefined, dataDir: "/srv/leadline" });
    expect(parseServerEnv(production).databaseUrl).toBe(production.DATABASE_URL);
  });

  it.each([
    ["PUBLIC_BASE_URL", "leads.example.com", /PUBLIC_BASE_URL must be a URL/],
    ["TWILIO_ACCOUNT_SID", "AC123", /TWILIO_ACCOUNT_SID must look like AC followed by 32 hex characters/],
    ["AIRTABLE_BASE_ID", "base1", /AIRTABLE_BASE_ID must look like app followed by 14/],
    ["DATABASE_URL", "mysql://x", /DATABASE_URL must look like postgresql:/],
    ["DEMO_MODE", "yes", /DEMO_MODE must be true or false/],
  ])("stops on a malformed %s with a message naming it", (name, value, message) => {
    expect(() => parseServerEnv({ ...production, [name]: value })).toThrow(message);
  });

  it("wants AIRTABLE_TOKEN and AIRTABLE_BASE_ID together", () => {
    expect(() => parseServerEnv({ ...production, AIRTABLE_TOKEN: "pat1" })).toThrow(EnvError);
  });

  it("in development generates one auth token into the data folder and keeps it", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "leadline-env-"));
    const first = parseServerEnv({ NODE_ENV: "development", LEADLINE_DATA_DIR: dataDir });
    const second = parseServerEnv({ NODE_ENV: "development", LEADLINE_DATA_DIR: dataDir });

    expect(first.publicBaseUrl).toBe("http://localhost:3000");
    expect(first.twilio.authTokens).toEqual([readFileSync(path.join(dataDir, "twilio-auth-token"), "utf8").trim()]);
    expect(second.twilio.authTokens).toEqual(first.twilio.authTokens);
  });

  it("accepts the previous token during a rotation and drops a trailing slash from the base URL", () => {
    const env = parseServerEnv({ ...production, PUBLIC_BASE_URL: "https://leads.example.com/", TWILIO_AUTH_TOKEN_PREVIOUS: "old" });
    expect(env.twilio.authTokens).toEqual(["token", "old"]);
    expect(env.publicBaseUrl).toBe("https://leads.example.com");
  });

  it("names the Airtable tables by default", () => {
    const env = parseServerEnv({ ...production, AIRTABLE_TOKEN: "pat1", AIRTABLE_BASE_ID: "appABCDEFGHIJKLMN" });
    expect(env.airtable).toMatchObject({ configTable: "Client Configuration", leadsTable: "Lead Pipeline" });
  });
});
