/**
 * The change feed behind `issueEvents`: SQLite has no cross-process notification, so one poller
 * per server watches `PRAGMA data_version` (it changes when another connection commits) and
 * publishes new rows of `events`. The server's own writes are published right after them.
 */
import type { Beads } from "../core/service.ts";
import type { IssueEvent } from "../model/types.ts";

const POLL_MS = 75;

export class EventFeed {
  private readonly listeners = new Set<(e: IssueEvent) => void>();
  private lastId: number;
  private lastVersion: number;
  private timer?: ReturnType<typeof setInterval>;

  constructor(private readonly beads: Beads) {
    this.lastId = beads.lastEventId();
    this.lastVersion = beads.dataVersion();
  }

  /** Starts polling (while anyone listens). */
  private ensurePolling(): void {
    if (this.timer || this.listeners.size === 0) return;
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  /** Publishes events committed since the last look (by anyone). */
  poll(force = false): void {
    try {
      const version = this.beads.dataVersion();
      if (!force && version === this.lastVersion) return;
      this.lastVersion = version;
      for (;;) {
        const batch = this.beads.eventsSince(this.lastId, 500);
        if (batch.length === 0) break;
        this.lastId = batch[batch.length - 1].id;
        for (const e of batch) for (const l of this.listeners) l(e);
        if (batch.length < 500) break;
      }
    } catch {
      // The database may be briefly locked or gone; the next tick tries again.
    }
  }

  /** Returns an async stream of events with id > since (default: from the moment of subscribing). */
  subscribe(since?: number): AsyncIterableIterator<IssueEvent> {
    const queue: IssueEvent[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    // Events up to the feed's position were published already: read them as backlog. Later
    // ones arrive through the listener, which is registered before anything else can run.
    let cursor = since ?? this.beads.lastEventId();
    while (cursor < this.lastId) {
      const batch = this.beads.eventsSince(cursor, 500).filter((e) => e.id <= this.lastId);
      if (batch.length === 0) break;
      queue.push(...batch);
      cursor = batch[batch.length - 1].id;
    }
    const listener = (e: IssueEvent) => {
      if (e.id <= cursor) return;
      cursor = e.id;
      queue.push(e);
      wake?.();
    };
    this.listeners.add(listener);
    this.ensurePolling();
    const stop = () => {
      done = true;
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
      wake?.();
    };
    const iterator: AsyncIterableIterator<IssueEvent> = {
      [Symbol.asyncIterator]() {
        return iterator;
      },
      async next() {
        while (!done && queue.length === 0) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        if (queue.length) return { value: queue.shift()!, done: false };
        return { value: undefined, done: true };
      },
      return() {
        stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
    return iterator;
  }

  /** Ends every subscription (shutdown). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}
