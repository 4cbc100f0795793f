/** Running one resource collector against mocked AWS clients, as the collector tests do. */
import type { ResourceCollector, RegionContext } from '../collect/resources/index.js';
import type { ConfigItem } from '../collect/config-item.js';
import { mapConfigItems } from '../ingest/aws-config.js';
import type { Gap } from '../model/index.js';
import type { SnapshotPart } from '../ingest/snapshot-part.js';

/** An AWS error as the SDK raises it (a service exception with its code as name). */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
  });
}

/**
 * Runs `collector` for one account and region; returns its items, the gaps it recorded and what
 * the importer makes of the items after a round trip through JSON text (what is written is what
 * is read).
 */
export async function collectInRegion(
  collector: ResourceCollector,
  accountId: string,
  region: string,
): Promise<{ items: ConfigItem[]; gaps: Gap[]; part: SnapshotPart }> {
  const gaps: Gap[] = [];
  const context: RegionContext = {
    accountId,
    region,
    settings: { region, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } },
    sink: { accountId, region, add: (gap) => gaps.push(gap) },
    now: new Date('2026-11-24T08:00:00Z'),
  };
  const items = await collector.collect(context);
  const part = mapConfigItems(JSON.parse(JSON.stringify(items)) as unknown[], 'config-items.json');
  return { items, gaps, part };
}
