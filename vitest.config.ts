import path from "node:path";
import { defineConfig } from "vitest/config";

const testEnv = {
  PUBLIC_BASE_URL: "https://leads.example.test",
  LEADLINE_DATA_DIR: "memory://",
  TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000000",
  TWILIO_AUTH_TOKEN: "test-auth-token",
  TWILIO_API_URL: "https://twilio.test",
  AIRTABLE_TOKEN: "patTestToken.0000",
  AIRTABLE_BASE_ID: "appTestBase000000",
  AIRTABLE_API_URL: "https://airtable.test",
};

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    env: testEnv,
    setupFiles: ["tests/support/next-after.setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "default",
          include: ["tests/**/*.test.ts"],
          exclude: ["tests/**/*.pg.test.ts", "tests/**/*.live.test.ts", "tests/**/*.browser.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "pg",
          include: ["tests/db/**/*.test.ts", "tests/**/*.pg.test.ts"],
          setupFiles: ["tests/support/next-after.setup.ts", "tests/support/postgres-database.setup.ts"],
          fileParallelism: false,
        },
      },
      {
        // Needs the system Chromium, which a fresh machine lacks: run by `npm run test:e2e`.
        extends: true,
        test: {
          name: "browser",
          include: ["tests/**/*.browser.test.ts"],
          // What a page or worker shows can take seconds on a busy machine (a push wakes a stopped
          // worker first); a second, the default, failed CI once.
          expect: { poll: { timeout: 10_000 } },
        },
      },
      {
        extends: true,
        test: {
          name: "live",
          include: ["tests/live/**/*.live.test.ts"],
          globalSetup: ["tests/live/require-live-base.ts"],
        },
      },
    ],
  },
});
