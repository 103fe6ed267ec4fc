import { vi } from "vitest";
import { deferForTest } from "./deferred-work";

vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: deferForTest,
}));

// Route tests check what a webhook answers and writes; the outbox it wakes afterwards is tested on
// its own (tests/outbox) and end to end on next start, where after() really runs it.
vi.mock("@/lib/outbox/drain-outbox", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/outbox/drain-outbox")>()),
  wakeOutboxDrainer: async () => {},
}));
