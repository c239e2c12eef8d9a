/** The store saw data change between the caller's read and its change: the caller reads again. */
export class StaleReadError extends Error {
  constructor() {
    super('data changed since it was read');
    this.name = 'StaleReadError';
  }
}
