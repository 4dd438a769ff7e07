// Makes a call's own AbortController follow its caller's signal, instead of AbortSignal.any.
//
// Node keeps a composite signal from AbortSignal.any alive in a process-wide set while it has abort
// listeners (fetch adds one per request), and takes it out only when the last listener goes while
// the composite still has sources. When the sources (the request's and the deadline's signals) are
// collected before fetch's listener is removed, the composite stays in that set for good, with its
// listener. Under bench/soak.ts that was about 7% of provider calls: ~30 bytes per request that the
// router's heap never gave back (heap snapshots compared with bench/support/heap-diff.ts; Node issue
// nodejs/node#64476, on v24.21 here). A plain controller that follows its caller by a listener is
// never put in that set.

/**
 * Aborts `controller` (with the same reason) when `parent` aborts, at once if it already has. The
 * listener lives as long as `parent`: a call's signal, dropped with the call.
 */
export function followAbort(parent: AbortSignal | undefined, controller: AbortController): void {
  if (!parent) return;
  if (parent.aborted) {
    controller.abort(parent.reason);
    return;
  }
  parent.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
}
