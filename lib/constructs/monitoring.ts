// Alarms (to an SNS topic, optionally e-mailed) and the operations dashboard.
// Custom metric names and dimensions come from functions/contracts/metrics.ts, the contract the
// handlers emit against (see the comment there).
import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { metricDimensions, metricNames, metricNamespace, type MetricName } from '#contracts/metrics.ts';

export interface MonitoringProps {
  stage: string;
  api: apigw.RestApi;
  deadLetterQueue: sqs.IQueue;
  queue: sqs.IQueue;
  /** Catalog provider ids: one ProviderUnhealthy alarm each. */
  providerIds: readonly string[];
  alarmEmail?: string;
  /** 5xx share of requests (percent) over 5 minutes that raises the alarm. */
  serverErrorRatePercent?: number;
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cw.Alarm[] = [];
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `LLM router (${props.stage}) alarms`,
      enforceSSL: true,
    });
    // enforceSSL creates a topic policy, and a topic policy replaces SNS's default one: without this
    // statement nothing would allow CloudWatch to publish and every alarm notification would be
    // refused ("not authorized to perform: SNS:Publish"). Only alarms of this account and region.
    const { account, region, partition } = Stack.of(this);
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      effect: iam.Effect.ALLOW,
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': account },
        ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
      },
    }));
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const stage = props.api.deploymentStage;
    const fiveMinutes = Duration.minutes(5);
    const requests = stage.metricCount({ period: fiveMinutes, statistic: cw.Stats.SUM });
    const serverErrors = stage.metricServerError({ period: fiveMinutes, statistic: cw.Stats.SUM });
    const clientErrors = stage.metricClientError({ period: fiveMinutes, statistic: cw.Stats.SUM });

    this.#alarm('DeadLetterQueueNotEmpty', {
      alarmDescription: 'Batch jobs failed repeatedly and were moved to the dead-letter queue.',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cw.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });

    this.#alarm('ServerErrorRate', {
      alarmDescription: `More than ${props.serverErrorRatePercent ?? 5}% of API requests answered 5xx.`,
      metric: new cw.MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: { requests, errors: serverErrors },
        label: '5xx rate (%)',
        period: fiveMinutes,
      }),
      threshold: props.serverErrorRatePercent ?? 5,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });

    for (const providerId of props.providerIds) {
      this.#alarm(`ProviderUnhealthy${alarmIdSuffix(providerId)}`, {
        alarmDescription: `Provider "${providerId}" failed its health check for 3 consecutive minutes.`,
        metric: new cw.Metric({
          namespace: metricNamespace,
          metricName: metricNames.providerUnhealthy,
          dimensionsMap: { [metricDimensions.provider]: providerId },
          statistic: cw.Stats.MAXIMUM,
          period: Duration.minutes(1),
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
    }

    // No fixed name: dashboards are account-global, and the same stage may exist in two regions.
    this.dashboard = new cw.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(6) });
    const byModel = (name: MetricName, statistic: string, label: string) =>
      new cw.MathExpression({
        expression: `SEARCH('{${metricNamespace},${metricDimensions.model}} MetricName="${name}"', '${statistic}', 300)`,
        label,
        period: fiveMinutes,
      });
    const total = (name: MetricName, label: string) =>
      new cw.MathExpression({
        expression: `SUM(SEARCH('{${metricNamespace},${metricDimensions.model}} MetricName="${name}"', 'Sum', 300))`,
        label,
        period: fiveMinutes,
      });

    this.dashboard.addWidgets(
      new cw.GraphWidget({
        title: 'Requests (API Gateway)',
        left: [requests.with({ label: 'requests' }), clientErrors.with({ label: '4xx' }), serverErrors.with({ label: '5xx' })],
        width: 12,
      }),
      new cw.GraphWidget({
        title: 'Latency (API Gateway, ms)',
        left: [
          stage.metricLatency({ period: fiveMinutes, statistic: cw.Stats.p(50), label: 'p50' }),
          stage.metricLatency({ period: fiveMinutes, statistic: cw.Stats.p(99), label: 'p99' }),
        ],
        width: 12,
      }),
      new cw.GraphWidget({
        title: 'Cost (USD per 5 min)',
        left: [total(metricNames.costUsd, 'total')],
        right: [byModel(metricNames.costUsd, 'Sum', '')],
        width: 12,
      }),
      new cw.GraphWidget({
        title: 'Cache hit rate (%)',
        left: [
          new cw.MathExpression({
            expression: 'IF(hits + misses > 0, 100 * hits / (hits + misses), 0)',
            usingMetrics: { hits: total(metricNames.cacheHit, 'hits'), misses: total(metricNames.cacheMiss, 'misses') },
            label: 'hit rate',
            period: fiveMinutes,
          }),
        ],
        leftYAxis: { min: 0, max: 100 },
        width: 12,
      }),
      new cw.GraphWidget({ title: 'Requests by model', left: [byModel(metricNames.requests, 'Sum', '')], width: 12 }),
      new cw.GraphWidget({
        title: 'Latency by model (p50 / p99, ms)',
        left: [byModel(metricNames.latencyMs, 'p50', 'p50')],
        right: [byModel(metricNames.latencyMs, 'p99', 'p99')],
        width: 12,
      }),
      new cw.GraphWidget({ title: 'Fallbacks by model', left: [byModel(metricNames.fallbacks, 'Sum', '')], width: 12 }),
      new cw.GraphWidget({
        title: 'Provider unhealthy (1 = failing)',
        left: [
          new cw.MathExpression({
            expression: `SEARCH('{${metricNamespace},${metricDimensions.provider}} MetricName="${metricNames.providerUnhealthy}"', 'Maximum', 60)`,
            label: '',
            period: Duration.minutes(1),
          }),
        ],
        width: 12,
      }),
      new cw.GraphWidget({
        title: 'Batch queue',
        left: [
          props.queue.metricApproximateNumberOfMessagesVisible({ label: 'queued', period: fiveMinutes }),
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'dead letters', period: fiveMinutes }),
        ],
        right: [props.queue.metricApproximateAgeOfOldestMessage({ label: 'oldest (s)', period: fiveMinutes })],
        width: 12,
      }),
      new cw.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12 }),
    );
  }

  #alarm(id: string, props: cw.AlarmProps): cw.Alarm {
    const alarm = new cw.Alarm(this, id, props);
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

/** `openai-compatible.v1` -> `OpenaiCompatibleV1` (construct ids stay stable and readable). */
function alarmIdSuffix(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
