// Provider health probing: a function run every minute by EventBridge Scheduler.
import { Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { RouterFunction } from './router-function.ts';

export interface HealthCheckProps {
  stage: string;
  catalogFile: string;
  environment: Record<string, string>;
  /**
   * Reserve one concurrent execution for the function, so two runs can never execute at once even if
   * Lambda delivers late. Off by default: Lambda keeps a minimum of unreserved concurrency (100 in a
   * standard account), and many new accounts have a total quota of 10, all of it that minimum, so
   * any reservation there fails the deploy.
   */
  reserveConcurrency?: boolean;
}

export class HealthCheck extends Construct {
  readonly fn: RouterFunction;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: HealthCheckProps) {
    super(scope, id);
    this.fn = new RouterFunction(this, 'Function', {
      entry: 'functions/handlers/health-check.ts',
      description: 'Probes every catalog provider and records health and circuit state',
      // Shorter than the one-minute period, so runs never overlap.
      timeout: Duration.seconds(50),
      memorySize: 256,
      catalogFile: props.catalogFile,
      environment: props.environment,
      ...(props.reserveConcurrency ? { reservedConcurrentExecutions: 1 } : {}),
    });
    // Scheduler invokes asynchronously. retryAttempts below is Scheduler's own retry policy; Lambda
    // adds two async retries of its own on an error unless told otherwise. A failed run is superseded
    // by the next one a minute later, and a retry could overlap it: no retries, and an event older
    // than a minute (queued behind throttling) is dropped instead of running late.
    this.fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler invoke the health-check function',
    });
    const fnId = Stack.of(this).resolve((this.fn.node.defaultChild as CfnElement).logicalId) as string;
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
      reason:
        "CDK's Lambda grantInvoke allows the function and its versions/aliases (<arn>:*); it is still this single function.",
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `LLM router (${props.stage}) provider health check`,
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(1)),
      // A missed probe is superseded by the next one a minute later: no retries.
      target: new LambdaInvoke(this.fn, { role: schedulerRole, retryAttempts: 0, maxEventAge: Duration.minutes(1) }),
    });
  }
}
