/**
 * POSTs JSON as text/plain, a CORS "simple" request (no preflight), and reads the JSON answer.
 * keepalive lets a heartbeat leave even as the page unloads. Rejects on any failure, even a fetch
 * that throws (a page or an extension may have wrapped it).
 */
export function postToApi(url: string, body: object): Promise<unknown> {
  return new Promise<Response>((resolve) => resolve(fetch(url, { method: "POST", body: JSON.stringify(body), keepalive: true }))).then((response) =>
    response.ok ? response.json() : Promise.reject(response.status),
  );
}
