/**
 * Rows grouped by a key, in their original order within each group. Rows whose key is null or
 * undefined belong to no group: batch loaders group child rows by a nullable foreign key.
 */
export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K | null | undefined): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null || k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
