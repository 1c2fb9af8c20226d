/** Thrown by a handler when retrying cannot help (bad data, a permanent refusal): dead-lettered at once. */
export class NonRetryableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}
