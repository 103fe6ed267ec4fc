/**
 * A request body read once, or undefined as soon as it is declared or found to pass `maxBytes`,
 * without reading the rest: a stranger's huge body costs us no more than the limit.
 */
export async function readBoundedBody(request: Request, maxBytes: number): Promise<Buffer | undefined> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return undefined;
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}
