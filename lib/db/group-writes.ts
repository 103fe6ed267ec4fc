type Waiting<T> = { item: T; resolve: () => void; reject: (error: unknown) => void };

/**
 * Group commit: writes that arrive while one is in flight wait and go together as one batch when
 * it finishes. Nobody waits on a timer; under light load a batch is a single item. Each caller's
 * promise settles with its own batch. A batch that fails is retried item by item, so one bad row
 * cannot sink the rows that came with it.
 */
export function groupWrites<T>(write: (items: T[]) => Promise<void>, maxBatch = 100): (item: T) => Promise<void> {
  const queue: Waiting<T>[] = [];
  let draining = false;

  async function settle(batch: Waiting<T>[]): Promise<void> {
    try {
      await write(batch.map((waiting) => waiting.item));
      for (const waiting of batch) waiting.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const waiting of batch) await settle([waiting]);
    }
  }

  async function drain(): Promise<void> {
    draining = true;
    while (queue.length > 0) await settle(queue.splice(0, maxBatch));
    draining = false;
  }

  return (item) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!draining) void drain();
    });
}
