// Port of the budget feature: money held against a budget for the length of one call.
import type { Principal } from '../auth/ports.ts';
import type { HoldRequest } from './budget.ts';

/** Money held against a tenant's (and key's) budget for one call, until settled or released. */
export interface BudgetReservation {
  requestId: string;
  tenantId: string;
  keyId: string;
  amountUsd: number;
  /** Budget period the reservation counts against, e.g. `2026-11`. */
  period: string;
  /** The hold is less than the call's worst case: its upstream max_tokens must be capped to it. */
  capped?: boolean;
  /** A budget it counts against has reached its `preferCheaperAt` share: route cheapest first. */
  preferCheaper?: boolean;
}

export interface BudgetGuard {
  /**
   * Holds money for a call: its worst case when the budget's free headroom allows, else a part of the
   * headroom that still pays a typical answer (`capped`). Throws a 429 `insufficient_quota`
   * BudgetExceededError when the headroom cannot pay a typical answer. A plain number is both the worst
   * and the typical cost. Undefined when no budget applies to the caller.
   */
  reserve(principal: Principal, hold: HoldRequest | number, requestId: string): Promise<BudgetReservation | undefined>;
  /** Replaces the held amount with what the call actually cost. */
  settle(reservation: BudgetReservation, actualUsd: number): Promise<void>;
  /** Returns the held amount (the call failed or was served from cache). */
  release(reservation: BudgetReservation): Promise<void>;
}
