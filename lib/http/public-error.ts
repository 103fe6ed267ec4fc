/** An error whose one-line message is safe to show the caller of an API, with its HTTP status. */
export class PublicError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "PublicError";
  }
}
