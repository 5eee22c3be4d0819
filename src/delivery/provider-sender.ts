import type { AppContext } from '../app-context.ts';
import { SlidingWindowLimiter } from '../channels/rate-limiter.ts';
import { outboundMediaOf } from './outbound-media.ts';
import { claimSends, defaultSendSettings, recordSendResults, type SendResult, type SendSettings } from './send-to-provider.ts';
import { getChannelById } from '../db/queries/channel-queries.ts';
import { channelsWithQueuedMessages, type ClaimedMessage } from '../db/queries/outbox-queries.ts';
import { unclaimMessages } from '../db/queries/send-lane-queries.ts';
import type { ChannelRow } from '../db/schema.ts';
import { NOTIFY_CHANNELS, type PgNotifications } from '../db/notifications.ts';
import { GroupCommit, WakeSignal } from './loops.ts';
import { SendLaneLeases } from './send-lane-leases.ts';

export interface SenderOptions extends SendSettings {
  /** Look for due work (retries, expired leases after a crash) this often even without a wake-up. */
  pollMs: number;
  /** Most messages one channel has claimed and not finished at a time. */
  maxInFlight: number;
}

export const defaultSenderOptions: SenderOptions = { ...defaultSendSettings, pollMs: 2_000, maxInFlight: 128 };

/**
 * Sends the queued messages of real channels. The database row is the truth: a lane per channel
 * claims due messages (a counted, leased attempt), paces them through the number's rate limit,
 * calls the provider outside any transaction, and records the answers in batches (one commit for
 * many results). Messages of one conversation go out one after the other, in order. After a
 * crash nothing is lost: queued rows are found again at start-up and their leases run out.
 *
 * Several processes on one database: a lane sends only while this process holds the channel's
 * lease (src/delivery/send-lane-leases.ts), so one process at a time paces a number. A wake-up for a
 * lane held elsewhere is passed on to the other processes (NOTIFY) so its holder hears of it.
 */
export class ProviderSender {
  private readonly lanes = new Map<string, ChannelLane>();
  private running = false;
  private sweeper: NodeJS.Timeout | undefined;
  readonly writer: ResultWriter;
  readonly leases: SendLaneLeases;
  private forwarding = new Set<string>();
  private forwarder: Promise<void> | null = null;

  constructor(
    private readonly ctx: AppContext,
    readonly options: SenderOptions = defaultSenderOptions,
    private readonly notifications: PgNotifications | null = null,
  ) {
    this.writer = new ResultWriter(ctx, options);
    this.leases = new SendLaneLeases(ctx.db, options.leaseSeconds, ctx.log);
    notifications?.on(NOTIFY_CHANNELS.senderWake, (payload) => {
      for (const channelId of payload.split(',')) {
        if (this.running && this.leases.holds(channelId)) this.laneFor(channelId).wake();
      }
    });
  }

  /** Background mode (the server). Tests leave it stopped and call `drain`. */
  async start(): Promise<void> {
    this.running = true;
    this.leases.start();
    await this.sweep();
    this.sweeper = setInterval(() => {
      this.sweep().catch((error) => this.ctx.log.warn({ err: error }, 'sender sweep failed'));
    }, Math.max(this.options.pollMs, 1_000) * 5);
  }

  /** New work for a channel (a message was queued, a retry is due). */
  wake(channelId: string): void {
    if (!this.running) return;
    this.laneFor(channelId).wake();
    if (this.notifications && !this.leases.holds(channelId)) {
      this.forwarding.add(channelId);
      this.forwarder ??= this.forwardWakes();
    }
  }

  /** Wake-ups for lanes another process may hold, batched (ids only, well under NOTIFY's limit). */
  private async forwardWakes(): Promise<void> {
    while (this.forwarding.size > 0 && this.notifications) {
      const ids = [...this.forwarding];
      this.forwarding = new Set();
      const payloads: string[] = [];
      for (let k = 0; k < ids.length; k += 150) payloads.push(ids.slice(k, k + 150).join(','));
      try {
        await this.notifications.notify(this.ctx.db, NOTIFY_CHANNELS.senderWake, payloads);
      } catch (error) {
        // The holder's own poll finds the work a moment later.
        this.ctx.log.warn({ err: error }, 'passing a sender wake-up to other processes failed');
      }
    }
    this.forwarder = null;
  }

  private laneFor(channelId: string): ChannelLane {
    let lane = this.lanes.get(channelId);
    if (!lane) {
      lane = new ChannelLane(this.ctx, channelId, this.options, this.writer, this.leases, () => this.lanes.delete(channelId));
      this.lanes.set(channelId, lane);
      if (this.running) lane.start();
    }
    return lane;
  }

  private async sweep(): Promise<void> {
    for (const channelId of await channelsWithQueuedMessages(this.ctx.db)) this.wake(channelId);
  }

  /**
   * Sends everything due now and records the answers (tests, scripts), optionally only for some
   * workspaces (test files share a database). Returns how many attempts were made.
   */
  async drain(options: { workspaceIds?: readonly string[] } = {}): Promise<number> {
    let total = 0;
    for (let pass = 0; pass < 100; pass++) {
      let attempts = 0;
      for (const channelId of await channelsWithQueuedMessages(this.ctx.db, options.workspaceIds)) {
        attempts += await this.laneFor(channelId).runOnce();
      }
      await this.writer.idle();
      total += attempts;
      if (attempts === 0) break;
    }
    return total;
  }

  /**
   * Stops every lane once its sends in flight are answered and recorded, then gives the lanes back
   * so another process takes them at once. `release: false` (tests) behaves like a process that
   * died: the leases run out instead.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.running = false;
    clearInterval(this.sweeper);
    await Promise.all([...this.lanes.values()].map((lane) => lane.stop()));
    await this.writer.idle();
    await this.forwarder;
    if (options.release === false) this.leases.abandon();
    else await this.leases.stop();
  }
}

const RETIRE_AFTER_IDLE_POLLS = 30;

class ChannelLane {
  private readonly limiter = new SlidingWindowLimiter(80);
  private inFlight = 0;
  /** The last send of each conversation: the next one waits for it. */
  private readonly tails = new Map<string, Promise<void>>();
  private readonly signal = new WakeSignal();
  /** Set while the lane is full and waits for a send to finish. */
  private roomWaiter: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly channelId: string,
    private readonly options: SenderOptions,
    private readonly writer: ResultWriter,
    private readonly leases: SendLaneLeases,
    private readonly retire: () => void,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  wake(): void {
    this.signal.wake();
  }

  private async run(): Promise<void> {
    let idlePolls = 0;
    while (!this.stopped) {
      let pass = { claimed: 0, full: false };
      try {
        if (await this.lease()) pass = await this.claimAndStart();
      } catch (error) {
        this.ctx.log.warn({ err: error, channelId: this.channelId }, 'claiming sends failed; will retry');
      }
      if (pass.claimed > 0) {
        idlePolls = 0;
        continue;
      }
      if (pass.full) {
        await new Promise<void>((resolve) => {
          this.roomWaiter = resolve;
        });
        continue;
      }
      if (this.inFlight === 0 && !this.signal.pending && ++idlePolls >= RETIRE_AFTER_IDLE_POLLS) break;
      // Until woken (new work) or the poll interval passes (retries, expired leases).
      await this.signal.wait(this.options.pollMs);
    }
    this.loop = null;
    if (!this.stopped) {
      this.retire();
      if (this.leases.holds(this.channelId)) {
        await this.leases.release([this.channelId]).catch((error) => this.ctx.log.warn({ err: error }, 'releasing an idle sender lane failed'));
      }
    }
  }

  /** Whether this process holds the lane now (taking it if it is free). */
  private async lease(): Promise<boolean> {
    const lease = await this.leases.acquire(this.channelId);
    // Taken from another process: its last sends may be under a second old; the number's
    // window must hold across the handover.
    if (lease === 'taken') this.limiter.pause(1_000);
    return lease !== 'busy';
  }

  private async channel(): Promise<ChannelRow | undefined> {
    return getChannelById(this.ctx.db, this.channelId);
  }

  /** Claims what fits (about one second of sending, within the in-flight cap) and starts it. */
  private async claimAndStart(): Promise<{ claimed: number; full: boolean }> {
    const channel = await this.channel();
    if (!channel || channel.type === 'simulator') return { claimed: 0, full: false };
    this.limiter.setRate(channel.rate_per_second);
    const room = Math.min(channel.rate_per_second, this.options.maxInFlight) - this.inFlight;
    if (room <= 0) return { claimed: 0, full: true };
    const claims = await claimSends(this.ctx, channel, room, this.options);
    for (const claim of claims) void this.start1(channel, claim);
    return { claimed: claims.length, full: false };
  }

  private start1(channel: ChannelRow, claim: ClaimedMessage): Promise<void> {
    this.inFlight++;
    const key = claim.row.conversation_id;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const mine = previous.then(() => this.sendOne(channel, claim));
    this.tails.set(key, mine);
    return mine.finally(() => {
      if (this.tails.get(key) === mine) this.tails.delete(key);
      this.inFlight--;
      const waiter = this.roomWaiter;
      this.roomWaiter = null;
      waiter?.();
    });
  }

  private async sendOne(channel: ChannelRow, claim: ClaimedMessage): Promise<void> {
    let result: SendResult['result'];
    try {
      const provider = this.ctx.providers.providerFor(channel);
      await this.limiter.acquire();
      if (!this.leases.holds(this.channelId)) {
        // The lane is no longer ours (this process stalled past its lease): the holder sends it.
        await unclaimMessages(this.ctx.db, [claim.row.id]).catch((error) => this.ctx.log.warn({ err: error }, 'giving a claim back failed; its lease runs out'));
        return;
      }
      result = await provider.send({
        // Our message id, not the client's key: statuses echo it, so a lost answer is still matched.
        idempotencyKey: claim.row.id,
        to: claim.phone ?? '',
        bsuid: claim.bsuid,
        lid: claim.lid,
        text: claim.row.text,
        template: claim.row.template,
        quoted: claim.quoted,
        media: outboundMediaOf(this.ctx.db, claim.row),
      });
    } catch (error) {
      // Our own fault (a secret that cannot be opened): retry later rather than lose the message.
      this.ctx.log.error({ err: error, channelId: channel.id }, 'provider call failed before sending');
      result = { ok: false, error: { code: 'provider_unavailable', retryable: true, providerMessage: 'internal error before sending' } };
    }
    if (!result.ok && result.error.code === 'rate_limited' && result.error.providerCode === '130429') {
      // The number's throughput is exceeded: the whole lane waits, not just this message.
      this.limiter.pause((result.error.retryAfterSeconds ?? 1) * 1000);
    }
    try {
      await this.writer.push({ claim, result });
    } catch (error) {
      // The lease runs out and the message is tried again, with the same idempotency key.
      this.ctx.log.error({ err: error, messageId: claim.row.id }, 'recording a send result failed');
    }
  }

  /** One claim-and-send pass, waiting for every send it started (drain mode). */
  async runOnce(): Promise<number> {
    const channel = await this.channel();
    if (!channel || channel.type === 'simulator') return 0;
    if (!(await this.lease())) return 0;
    this.limiter.setRate(channel.rate_per_second);
    const claims = await claimSends(this.ctx, channel, 500, this.options);
    await Promise.all(claims.map((claim) => this.start1(channel, claim)));
    return claims.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signal.wake();
    this.roomWaiter?.();
    await this.loop;
    await Promise.all([...this.tails.values()]);
  }
}

/**
 * Group commit for send results: while one batch is being written, the next one gathers, so under
 * load many answers share one transaction and at rest each is written at once.
 */
class ResultWriter extends GroupCommit<SendResult, void> {
  constructor(ctx: AppContext, settings: SendSettings) {
    super({
      maxInFlight: 1,
      maxWeight: 500,
      write: async (items) => {
        await recordSendResults(ctx, items, settings);
        return items.map(() => ({ ok: true, value: undefined }));
      },
    });
  }
}
