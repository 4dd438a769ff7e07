// DynamoDB's answer to a failed ConditionExpression, recognised by class or by name (the name covers
// errors deserialised by another copy of the SDK).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** True when a write was refused because its condition did not hold. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}
