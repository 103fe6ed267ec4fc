import { describe, expect, it } from "vitest";
import { groupWrites } from "@/lib/db/group-writes";

function recorder(failOn?: (items: string[]) => boolean) {
  const batches: string[][] = [];
  let release: () => void = () => {};
  const write = groupWrites<string>(async (items) => {
    batches.push(items);
    if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    if (failOn?.(items)) throw new Error(`refused ${items.join(",")}`);
  });
  return { batches, write, releaseFirst: () => release() };
}

describe("groupWrites", () => {
  it("writes alone when nothing else is waiting, then groups what arrived meanwhile into one batch", async () => {
    const { batches, write, releaseFirst } = recorder();
    const first = write("a");
    const rest = [write("b"), write("c"), write("d")];
    releaseFirst();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([["a"], ["b", "c", "d"]]);
  });

  it("retries a failed batch item by item, so only the bad item fails", async () => {
    const { batches, write, releaseFirst } = recorder((items) => items.includes("bad"));
    const first = write("a");
    const results = Promise.allSettled([write("b"), write("bad"), write("c")]);
    releaseFirst();
    await first;
    expect((await results).map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(batches).toEqual([["a"], ["b", "bad", "c"], ["b"], ["bad"], ["c"]]);
  });

  it("keeps going after a failure", async () => {
    const write = groupWrites<number>(async ([n]) => {
      if (n === 1) throw new Error("one");
    });
    await expect(write(1)).rejects.toThrow("one");
    await expect(write(2)).resolves.toBeUndefined();
  });
});
