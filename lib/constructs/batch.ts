// Batch processing: the job queue, its dead-letter queue and the worker that drains it.
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { batchQueue } from '#contracts/env.ts';
import { RouterFunction } from './router-function.ts';

export interface BatchProcessingProps {
  catalogFile: string;
  environment: Record<string, string>;
  /** Workers running at most at once (SQS event source maxConcurrency, 2..1000). */
  maxConcurrency?: number;
}

export class BatchProcessing extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly worker: RouterFunction;

  constructor(scope: Construct, id: string, props: BatchProcessingProps) {
    super(scope, id);
    const workerTimeout = Duration.seconds(batchQueue.workerTimeoutSeconds);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      // Six times the worker timeout, so a message is not redelivered while a batch is still running.
      visibilityTimeout: Duration.seconds(batchQueue.workerTimeoutSeconds * 6),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: batchQueue.maxReceiveCount },
    });

    this.worker = new RouterFunction(this, 'Worker', {
      entry: 'functions/handlers/batch-worker.ts',
      description: 'Runs queued batch chat-completion jobs',
      timeout: workerTimeout,
      memorySize: 1024,
      catalogFile: props.catalogFile,
      environment: props.environment,
    });
    this.worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(5),
        maxConcurrency: props.maxConcurrency ?? 5,
        reportBatchItemFailures: true,
      }),
    );
  }
}
