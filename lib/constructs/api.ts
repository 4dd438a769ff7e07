// The public REST API: OpenAI's paths under /v1, streamed from the router Lambda (the batch and files
// APIs from the jobs Lambda), behind a Lambda authorizer that turns `Authorization: Bearer sk-lr-...` into a tenant and that tenant's usage-plan key.
//
// Usage plans, one per tenant, never shared: `apiKeySourceType: AUTHORIZER` means clients never send
// x-api-key; the authorizer returns `usageIdentifierKey = usagePlanKeyValue(stage, tenant)` (derived,
// see functions/contracts/usage-plans.ts). Each tenant's plan holds exactly one API key with that
// value, so one tenant's throttle and monthly quota are its own. Plans come from two places that
// produce the same resources: tenants listed in the `llm-router:tenant-plans` context (managed here,
// `addTenantPlan`), and tenants created at run time by `npm run admin -- create-tenant --plan` /
// `set-plan` (created through the API Gateway API). A tenant with no plan gets 403 from the gateway:
// no caller ever falls back to someone else's limits.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bearerPattern } from '#core/auth/api-keys.ts';
import { usagePlanKeyValue, usagePlanName } from '#contracts/usage-plans.ts';
import type { TenantPlan } from '#core/limits/plans.ts';

export interface RouterApiProps {
  stage: string;
  router: lambda.IFunction;
  /** Serves `/v1/batches` and `/v1/files` (functions/handlers/jobs-api.ts). */
  jobsApi: lambda.IFunction;
  authorizer: lambda.IFunction;
  /** Integration timeout of the streamed routes (streaming allows up to 15 minutes). */
  integrationTimeout: Duration;
  /** Stage-wide limits (all callers together). */
  throttle?: { rateLimit: number; burstLimit: number };
  /** Tenants whose usage plans this stack manages (each gets its own plan and key). */
  tenantPlans?: Readonly<Record<string, TenantPlan>>;
}

/** OpenAI's error body; `message` must be a JSON value (a quoted string or `$context.error.messageString`). */
const openAiError = (message: string, type: string, code: string | null) =>
  `{"error":{"message":${message},"type":"${type}","param":null,"code":${code === null ? 'null' : `"${code}"`}}}`;

const gatewayResponses: ReadonlyArray<{
  type: apigw.ResponseType;
  statusCode: string;
  message: string;
  errorType: string;
  code: string | null;
}> = [
  {
    type: apigw.ResponseType.UNAUTHORIZED,
    statusCode: '401',
    message: JSON.stringify('Incorrect or missing API key. Send it as "Authorization: Bearer sk-lr-...".'),
    errorType: 'authentication_error',
    code: 'invalid_api_key',
  },
  {
    type: apigw.ResponseType.ACCESS_DENIED,
    statusCode: '403',
    message: JSON.stringify('This API key is not allowed to call this endpoint.'),
    errorType: 'permission_error',
    code: 'access_denied',
  },
  {
    type: apigw.ResponseType.THROTTLED,
    statusCode: '429',
    message: JSON.stringify('Rate limit reached for requests. Slow down and retry.'),
    errorType: 'rate_limit_error',
    code: 'rate_limit_exceeded',
  },
  {
    type: apigw.ResponseType.QUOTA_EXCEEDED,
    statusCode: '429',
    message: JSON.stringify('You exceeded your current quota for this period.'),
    errorType: 'insufficient_quota',
    code: 'insufficient_quota',
  },
  {
    type: apigw.ResponseType.BAD_REQUEST_BODY,
    statusCode: '400',
    // `$util` is unavailable in gateway responses, so the validator's detail cannot be JSON-escaped.
    message: JSON.stringify('Invalid request body: expected a JSON object.'),
    errorType: 'invalid_request_error',
    code: 'invalid_request',
  },
  {
    type: apigw.ResponseType.DEFAULT_4XX,
    statusCode: '',
    message: '$context.error.messageString',
    errorType: 'invalid_request_error',
    code: null,
  },
  {
    type: apigw.ResponseType.DEFAULT_5XX,
    statusCode: '',
    message: '$context.error.messageString',
    errorType: 'server_error',
    code: null,
  },
];

/**
 * Body model of POST /v1/chat/completions: only "a JSON object". Field-level checks stay in the
 * router, whose 400s name the bad field (`param: "messages[0].content"`); API Gateway's validator can
 * only answer with a fixed message.
 */
const chatCompletionSchema: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'ChatCompletionRequest',
  type: apigw.JsonSchemaType.OBJECT,
};

export class RouterApi extends Construct {
  readonly api: apigw.RestApi;
  readonly accessLogs: logs.LogGroup;
  /** The usage plan of each tenant managed by the stack. */
  readonly tenantPlans = new Map<string, apigw.UsagePlan>();
  readonly #stage: string;
  /** API Gateway's execution-log group, created here so that it has a retention. */
  readonly executionLogs: logs.LogGroup;
  /** `https://.../<stage>/v1` */
  readonly v1Url: string;

  constructor(scope: Construct, id: string, props: RouterApiProps) {
    super(scope, id);
    const throttle = props.throttle ?? { rateLimit: 100, burstLimit: 200 };
    this.#stage = props.stage;

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const authorizer = new apigw.TokenAuthorizer(this, 'Authorizer', {
      handler: props.authorizer,
      identitySource: apigw.IdentitySource.header('Authorization'),
      resultsCacheTtl: Duration.seconds(300),
      // Malformed headers get a 401 from API Gateway without invoking the Lambda; the same pattern
      // is what the authorizer and the local runtime parse with.
      validationRegex: bearerPattern.source,
    });

    // Anthropic clients send `x-api-key`, others `Authorization: Bearer`. A REQUEST authorizer sees
    // both headers; API Gateway can cache only on headers that are always present, so this one does
    // not cache (one authorizer call per Messages API request).
    const messagesAuthorizer = new apigw.RequestAuthorizer(this, 'MessagesAuthorizer', {
      handler: props.authorizer,
      identitySources: [],
      resultsCacheTtl: Duration.seconds(0),
    });

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `llm-router-${props.stage}`,
      description: `OpenAI-compatible LLM router (${props.stage})`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      apiKeySourceType: apigw.ApiKeySourceType.AUTHORIZER,
      // File uploads reach the router base64-encoded, byte for byte (POST /v1/files).
      binaryMediaTypes: ['multipart/form-data'],
      // Access and execution logs need the account-level API Gateway CloudWatch role; RETAIN so that
      // deleting one stage's stack does not unset it for the others.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stage,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false, // would log request bodies (prompts) and headers
        metricsEnabled: true,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
      },
      defaultMethodOptions: {
        authorizer,
        authorizationType: apigw.AuthorizationType.CUSTOM,
        apiKeyRequired: true,
      },
    });

    // API Gateway writes execution logs (loggingLevel ERROR) into a group it creates itself, without
    // retention and outside the stack. Created here first, under the name it uses, the group gets a
    // retention and is deleted with the stack. The stage waits for it, so no log line can create it first.
    this.executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${props.stage}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api.deploymentStage.node.addDependency(this.executionLogs);

    for (const response of gatewayResponses) {
      this.api.addGatewayResponse(`Response${response.type.responseType}`, {
        type: response.type,
        ...(response.statusCode ? { statusCode: response.statusCode } : {}),
        responseHeaders: { 'Content-Type': "'application/json'" },
        templates: { 'application/json': openAiError(response.message, response.errorType, response.code) },
      });
    }

    const integration = new apigw.LambdaIntegration(props.router, {
      proxy: true,
      responseTransferMode: apigw.ResponseTransferMode.STREAM,
      timeout: props.integrationTimeout,
      allowTestInvoke: false,
    });
    const jobsIntegration = new apigw.LambdaIntegration(props.jobsApi, {
      proxy: true,
      responseTransferMode: apigw.ResponseTransferMode.STREAM,
      timeout: props.integrationTimeout,
      allowTestInvoke: false,
    });
    const bodyValidator = new apigw.RequestValidator(this, 'BodyValidator', {
      restApi: this.api,
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const chatModel = this.api.addModel('ChatCompletionRequest', {
      contentType: 'application/json',
      modelName: 'ChatCompletionRequest',
      schema: chatCompletionSchema,
    });

    const v1 = this.api.root.addResource('v1');
    v1.addResource('chat').addResource('completions').addMethod('POST', integration, {
      requestValidator: bodyValidator,
      requestModels: { 'application/json': chatModel },
    });
    v1.addResource('models').addMethod('GET', integration);
    const messages = v1.addResource('messages');
    const messagesMethod = { authorizer: messagesAuthorizer, authorizationType: apigw.AuthorizationType.CUSTOM };
    messages.addMethod('POST', integration, messagesMethod);
    messages.addResource('count_tokens').addMethod('POST', integration, messagesMethod);
    // Batches (jobs function): list and create on /v1/batches, one job and its sub-resources below it.
    // The local runtime routes the same prefixes (functions/contracts/jobs-paths.ts).
    const batches = v1.addResource('batches');
    batches.addMethod('GET', jobsIntegration);
    batches.addMethod('POST', jobsIntegration);
    batches.addResource('{proxy+}').addMethod('ANY', jobsIntegration);
    // Files (OpenAI's files API, jobs function): list and upload on /v1/files, one file and its content below it.
    const files = v1.addResource('files');
    files.addMethod('GET', jobsIntegration);
    files.addMethod('POST', jobsIntegration);
    files.addResource('{proxy+}').addMethod('ANY', jobsIntegration);
    v1.addResource('{proxy+}').addMethod('ANY', integration);

    for (const [tenantId, plan] of Object.entries(props.tenantPlans ?? {})) this.addTenantPlan(tenantId, plan);

    this.v1Url = `${this.api.url}v1`;
    this.#acknowledge();
  }

  /** The tenant's own usage plan (throttle, monthly quota) with its one key, the value the authorizer derives. */
  addTenantPlan(tenantId: string, plan: TenantPlan): apigw.UsagePlan {
    const id = `Tenant${tenantId.replace(/[^A-Za-z0-9]/g, '')}${this.tenantPlans.size}`;
    const key = this.api.addApiKey(`${id}Key`, {
      apiKeyName: usagePlanName(this.#stage, tenantId),
      description: `Usage-plan key of tenant ${tenantId}, returned by the authorizer (not a credential)`,
      value: usagePlanKeyValue(this.#stage, tenantId),
    });
    const usagePlan = this.api.addUsagePlan(`${id}Plan`, {
      name: usagePlanName(this.#stage, tenantId),
      description: `Plan "${plan.name}" of tenant ${tenantId}`,
      throttle: { rateLimit: plan.requestsPerSecond, burstLimit: plan.burst },
      quota: { limit: plan.monthlyRequests, period: apigw.Period.MONTH },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    usagePlan.addApiKey(key);
    this.tenantPlans.set(tenantId, usagePlan);
    return usagePlan;
  }

  #acknowledge(): void {
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'OpenAI-compatible clients authenticate with bearer API keys, not Cognito tokens; every method uses the Lambda TOKEN authorizer that checks the hashed key in the tenant table.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF web ACL by default (fixed monthly cost per stage); callers are authenticated by the Lambda authorizer and limited by stage throttling and usage plans. Associate a web ACL with the stage for internet-wide exposure.',
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]`,
        reason:
          "API Gateway's account-level logging role; AWS's managed policy is the documented minimal policy for it, and the role is only assumable by apigateway.amazonaws.com.",
      });
    }
  }
}

/** JSON access log line per request; never includes headers (the Authorization key) or bodies. */
function accessLogFormat(): apigw.AccessLogFormat {
  return apigw.AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      extendedRequestId: '$context.extendedRequestId',
      ip: '$context.identity.sourceIp',
      userAgent: '$context.identity.userAgent',
      requestTime: '$context.requestTime',
      method: '$context.httpMethod',
      path: '$context.path',
      status: '$context.status',
      protocol: '$context.protocol',
      responseLength: '$context.responseLength',
      latencyMs: '$context.responseLatency',
      integrationLatencyMs: '$context.integration.latency',
      integrationStatus: '$context.integration.status',
      integrationError: '$context.integrationErrorMessage',
      errorType: '$context.error.responseType',
      errorMessage: '$context.error.message',
      keyId: '$context.authorizer.principalId',
      tenantId: '$context.authorizer.tenantId',
      authorizerError: '$context.authorizer.error',
      authorizerLatencyMs: '$context.authorizer.integrationLatency',
      usagePlanKeyId: '$context.identity.apiKeyId',
    }),
  );
}
