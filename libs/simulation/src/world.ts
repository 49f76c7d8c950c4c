import { LEVEL_THRESHOLDS } from '@fan/schemas';
import { demoThumb } from './thumbs';

/**
 * A small, consistent fan economy for one star: owners with assets, a crystal ledger per user
 * whose balance_after always adds up, exhibitions that start before they end, mints before likes,
 * and level-ups when an asset has really earned them under levels.json.
 */
export interface Asset {
  id: string;
  owner: string;
  name: string;
  level: string;
  likesSinceLevel: number;
  exhibitedMsSinceLevel: number;
  exhibitingSince?: number;
  slot: string;
}

export type Emit = (event: Record<string, unknown>) => void;

const NAMES = ['Moonlight', 'Stage Smile', 'Encore', 'First Fan Meet', 'Rehearsal', 'Birthday Live', 'Backstage', 'Tour Final'];

export class World {
  private readonly balances = new Map<string, number>();
  readonly assets: Asset[] = [];
  private n = 0;

  constructor(
    readonly star: string,
    readonly users: string[],
    private readonly random: () => number = Math.random,
  ) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)] as T;
  }

  private credit(emit: Emit, user: string, amount: number, reason: string, at: number): void {
    const balance = (this.balances.get(user) ?? 0) + amount;
    this.balances.set(user, balance);
    emit({
      event_type: 'crystal.change',
      user_id: user,
      star_id: this.star,
      occurred_at: at,
      properties: { amount, balance_after: balance, reason },
    });
  }

  mint(emit: Emit, at: number, owner = this.pick(this.users)): Asset {
    const id = (7_000_000_000_000_000_000n + BigInt(this.star) * 1_000_000_000n + BigInt(++this.n)).toString(); // snowflake-sized, above 2^53
    const a: Asset = {
      id,
      owner,
      name: `${this.pick(NAMES)} #${this.n}`,
      level: 'N',
      likesSinceLevel: 0,
      exhibitedMsSinceLevel: 0,
      slot: String(100 + (this.n % 20)),
    };
    this.assets.push(a);
    emit({
      event_type: 'asset.mint',
      user_id: owner,
      star_id: this.star,
      occurred_at: at,
      properties: { asset_id: id, level: 'N', asset_name: a.name, asset_thumb: demoThumb(id) },
    });
    return a;
  }

  /** One step of business at instant `at`. */
  step(emit: Emit, at: number): void {
    if (this.assets.length < 3 || this.random() < 0.03) {
      this.mint(emit, at);
      return;
    }
    const a = this.pick(this.assets);
    const r = this.random();
    if (r < 0.55) {
      const liker = this.pick(this.users.filter((u) => u !== a.owner));
      const amount = 1 + Math.floor(this.random() * 5);
      emit({
        event_type: 'asset.like',
        user_id: a.owner,
        star_id: this.star,
        occurred_at: at,
        properties: { asset_id: a.id, liker_user_id: liker, amount },
      });
      this.credit(emit, a.owner, amount, 'like', at);
      a.likesSinceLevel++;
    } else if (r < 0.85) {
      if (a.exhibitingSince === undefined) {
        a.exhibitingSince = at;
        emit({
          event_type: 'exhibition.start',
          user_id: a.owner,
          star_id: this.star,
          occurred_at: at,
          properties: { asset_id: a.id, slot_id: a.slot },
        });
      } else {
        // Exhibitions are compressed: each lasts 20-90 simulated minutes whatever the wall clock says.
        const duration = (20 + Math.floor(this.random() * 70)) * 60_000;
        a.exhibitingSince = undefined;
        a.exhibitedMsSinceLevel += duration;
        emit({
          event_type: 'exhibition.end',
          user_id: a.owner,
          star_id: this.star,
          occurred_at: at,
          properties: { asset_id: a.id, slot_id: a.slot, duration_ms: duration },
        });
        const revenue = 10 + Math.floor(this.random() * 50);
        emit({
          event_type: 'exhibition.revenue',
          user_id: a.owner,
          star_id: this.star,
          occurred_at: at,
          properties: { asset_id: a.id, amount: revenue, duration_ms: duration },
        });
        this.credit(emit, a.owner, revenue, 'exhibition', at);
      }
    } else {
      const user = this.pick(this.users);
      const balance = this.balances.get(user) ?? 0;
      if (balance >= 20) this.credit(emit, user, -Math.floor(balance / 4), 'gift', at);
    }
    const t = LEVEL_THRESHOLDS[a.level];
    if (t && a.likesSinceLevel >= t.likes_required && a.exhibitedMsSinceLevel >= t.exhibition_seconds_required * 1000) {
      emit({
        event_type: 'asset.level_up',
        user_id: a.owner,
        star_id: this.star,
        occurred_at: at,
        properties: { asset_id: a.id, from_level: a.level, to_level: t.next },
      });
      a.level = t.next;
      a.likesSinceLevel = 0;
      a.exhibitedMsSinceLevel = 0;
    }
  }
}
