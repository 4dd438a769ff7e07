// DynamoDB's answer to a failed ConditionExpression, recognised by its error code.

/** True when a write was refused because its condition did not hold. */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}
