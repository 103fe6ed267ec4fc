/** A fake remote service as one function of a web Request, so msw and a real local server share it. */
export type StandIn = (request: Request) => Promise<Response>;

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
