// SQS for the local runtime: fauxqs (speaks the SQS JSON protocol, redrives to a DLQ), with the batch
// queue and its DLQ created from the same settings the CDK stack uses.
import { startFauxqs } from 'fauxqs';
import { batchQueue } from '#contracts/env.ts';

export interface SqsStandIn {
  endpoint: string;
  queueUrl: string;
  dlqUrl: string;
  close(): Promise<void>;
}

/** Starts fauxqs on loopback; `dataDir` keeps queues and messages on disk between runs. */
export async function startSqsStandIn(options: { dataDir?: string; port?: number } = {}): Promise<SqsStandIn> {
  const server = await startFauxqs({
    port: options.port ?? 0,
    host: '127.0.0.1',
    logger: false,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  const dlq = server.createQueue(`llm-router-local-${batchQueue.dlqName}`);
  const queue = server.createQueue(`llm-router-local-${batchQueue.name}`, {
    attributes: {
      VisibilityTimeout: String(batchQueue.workerTimeoutSeconds * 6),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: batchQueue.maxReceiveCount }),
    },
  });
  return { endpoint: server.address, queueUrl: queue.queueUrl, dlqUrl: dlq.queueUrl, close: () => server.stop() };
}
