import { vi } from "vitest";
import { deferForTest } from "./deferred-work";

vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: deferForTest,
}));
