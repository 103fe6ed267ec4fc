// GET /api/inbox/changes as the open inbox polls it: signed out is a 401, a bad scope a 400, and
// signed in the marker, never cached, changing when a call comes in.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/inbox/changes/route";
import type { Viewer } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { useRemoteServices } from "../support/remote-services";
import { ACME_OFFICE } from "../support/seeded-viewers";
import { placeCall } from "../support/simulated-contacts";
import { phoneNumber } from "../support/tracking-numbers";

const signedIn = vi.hoisted(() => ({ viewer: null as Viewer | null }));
vi.mock("@/lib/auth/get-viewer", () => ({ getViewer: async () => signedIn.viewer }));

useRemoteServices();
const ACME_LEAD = "10000000-0000-4000-a000-000000000001";
const ACME_TRACKING_NUMBER = "+15125550100";

beforeAll(async () => {
  await seedDatabase(await getDatabase(), { onlyIfEmpty: true });
});
beforeEach(() => {
  signedIn.viewer = null;
});

const get = (query = "") => GET(new Request(`http://localhost/api/inbox/changes${query}`));
const markerOf = async (response: Response) => ((await response.json()) as { marker: string }).marker;

describe("GET /api/inbox/changes", () => {
  it("is a 401 for someone signed out", async () => {
    const response = await get();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: expect.any(String) });
  });

  it("is a 400 for a lead that is not a lead id", async () => {
    signedIn.viewer = ACME_OFFICE;
    const response = await get("?lead=../../etc");
    expect(response.status).toBe(400);
  });

  it("answers the signed-in viewer's marker, not to be cached, which a new call changes", async () => {
    signedIn.viewer = ACME_OFFICE;
    const before = await get("?client=&lead=");
    expect(before.status).toBe(200);
    expect(before.headers.get("cache-control")).toBe("no-store");
    const marker = await markerOf(before);
    expect(await markerOf(await get())).toBe(marker);

    await placeCall(ACME_TRACKING_NUMBER, phoneNumber("512"), "answered");
    expect(await markerOf(await get())).not.toBe(marker);
  });

  it("scopes the marker to one thread when asked", async () => {
    signedIn.viewer = ACME_OFFICE;
    const thread = await markerOf(await get(`?lead=${ACME_LEAD}`));
    await placeCall(ACME_TRACKING_NUMBER, phoneNumber("512"), "answered");
    expect(await markerOf(await get(`?lead=${ACME_LEAD}`))).toBe(thread);
  });
});
