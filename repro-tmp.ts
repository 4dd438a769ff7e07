import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { startStandInsProcess } from '#local/standins-process.ts';
let stuck = 0;
for (let i = 0; i < Number(process.env.N ?? 8); i++) {
  const dir = mkdtempSync(join(tmpdir(), 'repro-'));
  const s = await startStandInsProcess({ dynamoPath: join(dir, 'dynamodb'), sqsDataDir: join(dir, 'sqs') });
  const c = new DynamoDBClient({ endpoint: s.dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  await new Promise((r) => setTimeout(r, 300));
  const states: string[] = [];
  for (const t of Object.values(s.dynamo.tableNames)) { const d = await c.send(new DescribeTableCommand({ TableName: t })); states.push(d.Table!.TableStatus!); }
  if (states.some((x) => x !== 'ACTIVE')) { stuck++; console.log(i, states.join(',')); }
  c.destroy();
  await s.close();
}
console.log('stuck runs', stuck);
process.exit(0);
