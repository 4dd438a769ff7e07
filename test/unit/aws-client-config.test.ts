// The functions' AWS client settings from the environment Lambda (or the local runtime) gives them.
import { describe, expect, it } from 'vitest';
import { awsClientConfig } from '#handlers/shared/aws-clients.ts';

const lambda = { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'ASIA1', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' };

describe('awsClientConfig', () => {
  it('takes region and the role\'s credentials, session token included', () => {
    expect(awsClientConfig(lambda)).toEqual({
      region: 'eu-west-1', credentials: { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't' }, dynamoEndpoint: undefined, sqsEndpoint: undefined,
    });
  });

  it('prefers a service\'s own endpoint variable over AWS_ENDPOINT_URL', () => {
    const config = awsClientConfig({ ...lambda, AWS_ENDPOINT_URL: 'http://all:1', AWS_ENDPOINT_URL_DYNAMODB: 'http://ddb:2' });
    expect(config).toMatchObject({ dynamoEndpoint: 'http://ddb:2', sqsEndpoint: 'http://all:1' });
  });

  it('names the missing credentials or region', () => {
    expect(() => awsClientConfig({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'a' })).toThrow(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set/);
    expect(() => awsClientConfig({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's' })).toThrow(/AWS_REGION must be set/);
    expect(awsClientConfig({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's', AWS_ENDPOINT_URL: 'http://local:1' }).region).toBe('us-east-1');
  });
});

describe('tracingPossible', () => {
  it('is true in Lambda unless POWERTOOLS_TRACE_ENABLED is false, and false elsewhere', async () => {
    const { tracingPossible } = await import('#handlers/shared/config.ts');
    expect(tracingPossible({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' })).toBe(true);
    expect(tracingPossible({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' })).toBe(false);
    expect(tracingPossible({})).toBe(false);
  });
});
