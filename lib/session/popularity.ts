/**
 * Session popularity (`session-pop`): the most frequent items of the training sessions, the same
 * list after every prefix — the "POP" baseline of Hidasi et al. 2016 ("Session-based
 * recommendations with recurrent neural networks", ICLR, §4.1) and Ludewig & Jannach 2018.
 *
 *     score(i) = number of events of item i in the training sessions
 *
 * Ties go to the smaller item id; items without a training event are never recommended. The
 * prefix only matters through `excludePrefix` (its items are skipped, default true).
 * fitSessions O(events + items log items); recommendNext O(n + |prefix| + skipped items).
 */
import type { Recommendation } from "../model/recommender";
import type { NextItemOptions, SessionRecommender, Sessions } from "./types";
import { checkPrefix, prefixMask } from "./sessions";

export class SessionPopularity implements SessionRecommender {
  readonly id = "session-pop";
  /** Training events per item (after fitSessions). */
  counts: Int32Array = new Int32Array(0);
  /** Items with at least one event, most frequent first. */
  private order: Int32Array = new Int32Array(0);
  private mark: Uint8Array = new Uint8Array(0);
  private fitted = false;

  fitSessions(train: Sessions): this {
    const counts = new Int32Array(train.nItems);
    for (let x = 0; x < train.items.length; x++) counts[train.items[x]]++;
    const order: number[] = [];
    for (let i = 0; i < train.nItems; i++) if (counts[i] > 0) order.push(i);
    order.sort((a, b) => counts[b] - counts[a] || a - b);
    if (order.length === 0) throw new Error("session-pop: the training sessions have no events");
    this.counts = counts;
    this.order = Int32Array.from(order);
    this.mark = new Uint8Array(train.nItems);
    this.fitted = true;
    return this;
  }

  recommendNext(prefix: ArrayLike<number>, n: number, options: NextItemOptions = {}): Recommendation[] {
    if (!this.fitted) throw new Error("session-pop: call fitSessions(train) before recommendNext");
    checkPrefix("session-pop", prefix, this.counts.length, n);
    const excludePrefix = options.excludePrefix ?? true;
    const exclude = options.exclude;
    const mark = excludePrefix ? prefixMask(prefix, this.mark) : null;
    const out: Recommendation[] = [];
    for (let r = 0; r < this.order.length && out.length < n; r++) {
      const i = this.order[r];
      if ((mark && mark[i]) || exclude?.has(i)) continue;
      out.push({ item: i, score: this.counts[i] });
    }
    if (mark) for (let j = 0; j < prefix.length; j++) mark[prefix[j]] = 0;
    return out;
  }
}
