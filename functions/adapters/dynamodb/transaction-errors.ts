// What a failed TransactWriteItems says about what the store applied.

/** The codes of a cancelled transaction's reasons, one per item; undefined for any other error. */
export function cancellationCodes(error: unknown): Array<string | undefined> | undefined {
  if ((error as { name?: string } | null)?.name !== 'TransactionCanceledException') return undefined;
  return ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).map((r) => r.Code);
}

/** The backend has no transactions: dynalite answers TransactWriteItems with an unknown-operation error. */
export function isUnsupported(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = (error as { message?: string } | null)?.message ?? '';
  return name === 'UnknownOperationException' || /unknown ?operation|not (yet )?supported/i.test(`${name} ${message}`);
}

/**
 * The store answered and applied nothing of the transaction: a client fault (a 4xx, as the wire
 * client's AwsServiceError marks it: cancelled for a duplicate or a conflict, refused as invalid,
 * throttled, denied), or the backend has no transactions. Any other error (a lost answer, a
 * timeout, a 5xx) leaves open whether it committed.
 */
export function appliedNothing(error: unknown): boolean {
  return (error as { $fault?: string } | null)?.$fault === 'client' || isUnsupported(error);
}
