/** The tab title with an unread count, e.g. "(2) Console": it never contains message text. */
export class TitleBadge {
  private count = 0;

  constructor(private base: string) {
    this.render();
  }

  setBase(base: string): void {
    this.base = base;
    this.render();
  }

  set(count: number): void {
    this.count = Math.max(0, count);
    this.render();
  }

  private render(): void {
    document.title = this.count > 0 ? `(${this.count}) ${this.base}` : this.base;
  }
}
