// Fails fast while an upstream is down: after `threshold` consecutive failures the breaker
// opens for `cooldownMs`; then one trial call is let through (half-open) and its outcome
// closes or re-opens it.

export type BreakerState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private stateNow: BreakerState = 'closed';

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.stateNow === 'open' && this.now() - this.openedAt >= this.cooldownMs)
      this.stateNow = 'half-open';
    return this.stateNow;
  }

  /** Whether a call may go out now; in half-open only one trial at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  succeeded(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.stateNow = 'closed';
  }

  failed(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.stateNow === 'half-open' || this.failures >= this.threshold) {
      this.stateNow = 'open';
      this.openedAt = this.now();
    }
  }
}
