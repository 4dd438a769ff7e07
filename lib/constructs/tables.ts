// The DynamoDB tables, built from the shared definitions in functions/contracts/tables.ts.
// `Table` (AWS::DynamoDB::Table) rather than `TableV2` (AWS::DynamoDB::GlobalTable): the router is
// single-region, the cost export (ExportTableToPointInTime) and the tests address a plain table, and
// moving to TableV2 later is a deliberate migration rather than an accidental resource replacement.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  allTables,
  cacheTable,
  costTable,
  healthTable,
  jobTable,
  tenantTable,
  usageTable,
  type TableDefinition,
} from '#contracts/tables.ts';

export interface RouterTable {
  readonly definition: TableDefinition;
  readonly table: dynamodb.Table;
}

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/** Logical id from the definition name: `costs` -> `CostsTable`. */
const constructId = (definition: TableDefinition) =>
  `${definition.name.charAt(0).toUpperCase()}${definition.name.slice(1)}Table`;

export class RouterTables extends Construct {
  readonly cache: RouterTable;
  readonly health: RouterTable;
  readonly costs: RouterTable;
  readonly jobs: RouterTable;
  readonly tenants: RouterTable;
  readonly usage: RouterTable;
  readonly all: readonly RouterTable[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const byName = new Map(allTables.map((definition) => [definition.name, this.#create(definition)]));
    const get = (definition: TableDefinition) => byName.get(definition.name)!;
    this.cache = get(cacheTable);
    this.health = get(healthTable);
    this.costs = get(costTable);
    this.jobs = get(jobTable);
    this.tenants = get(tenantTable);
    this.usage = get(usageTable);
    this.all = [...byName.values()];
  }

  #create(definition: TableDefinition): RouterTable {
    const table = new dynamodb.Table(this, constructId(definition), {
      partitionKey: stringKey(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: stringKey(definition.sortKey) } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      ...(definition.ttlAttribute ? { timeToLiveAttribute: definition.ttlAttribute } : {}),
      // On for every table; the cost table needs it for ExportTableToPointInTime.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: definition.retain,
      removalPolicy: definition.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of definition.globalIndexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        ...(index.sortKey ? { sortKey: stringKey(index.sortKey) } : {}),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return { definition, table };
  }
}
