// Next's after() throws outside a real request; in route tests the deferred tasks are collected
// here instead and the test awaits them, as the server would run them after answering.
const holder = globalThis as typeof globalThis & { __deferredWork?: Promise<unknown>[] };
const pending = (holder.__deferredWork ??= []);

export function deferForTest(task: () => Promise<unknown>): void {
  pending.push(Promise.resolve().then(task));
}

export async function settleDeferredWork(): Promise<void> {
  while (pending.length > 0) await Promise.all(pending.splice(0));
}
