// Port of the budget feature: money held against a budget for the length of one call.
import type { Principal } from '../auth/ports.ts';

/** Money held against a tenant's (and key's) budget for one call, until settled or released. */
export interface BudgetReservation {
  requestId: string;
  tenantId: string;
  keyId: string;
  amountUsd: number;
  /** Budget period the reservation counts against, e.g. `2026-11`. */
  period: string;
}

export interface BudgetGuard {
  /**
   * Holds the estimated cost; throws a 429 `insufficient_quota` RouterError when it would exceed a
   * budget. Undefined when no budget applies to the caller.
   */
  reserve(principal: Principal, estimatedUsd: number, requestId: string): Promise<BudgetReservation | undefined>;
  /** Replaces the held amount with what the call actually cost. */
  settle(reservation: BudgetReservation, actualUsd: number): Promise<void>;
  /** Returns the held amount (the call failed or was served from cache). */
  release(reservation: BudgetReservation): Promise<void>;
}
