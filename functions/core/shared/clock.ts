// The core's notion of time, injectable so tests need no real clock.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
