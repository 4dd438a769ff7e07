// A provider call's controller follows its caller's signal (in place of AbortSignal.any, whose
// composite signals can outlive their call: see adapters/providers/follow-abort.ts).
import { describe, expect, it } from 'vitest';
import { followAbort } from '#adapters/providers/follow-abort.ts';

describe('followAbort', () => {
  it('aborts the call with the caller’s reason when the caller aborts', () => {
    const caller = new AbortController();
    const call = new AbortController();
    followAbort(caller.signal, call);
    expect(call.signal.aborted).toBe(false);
    const reason = new Error('client left');
    caller.abort(reason);
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBe(reason);
  });

  it('aborts at once when the caller already has', () => {
    const caller = new AbortController();
    caller.abort('gone');
    const call = new AbortController();
    followAbort(caller.signal, call);
    expect(call.signal.reason).toBe('gone');
  });

  it('leaves the caller alone when the call aborts on its own (a deadline)', () => {
    const caller = new AbortController();
    const call = new AbortController();
    followAbort(caller.signal, call);
    call.abort('deadline');
    expect(caller.signal.aborted).toBe(false);
    expect(call.signal.reason).toBe('deadline');
  });

  it('does nothing without a caller signal', () => {
    const call = new AbortController();
    followAbort(undefined, call);
    expect(call.signal.aborted).toBe(false);
  });
});
