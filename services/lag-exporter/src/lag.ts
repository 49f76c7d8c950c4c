/** One partition's offsets as the broker reports them (kafkajs strings: offsets may exceed 2^53). */
export interface PartitionEnds {
  partition: number;
  low: string;
  high: string;
}

export interface PartitionLag {
  partition: number;
  lag: number;
}

/**
 * Records of each partition the group has not committed yet: the end offset minus the committed
 * one, as kafka-lag-exporter and KEDA count it. A partition without a commit ("-1") of a group that
 * has committed elsewhere counts from where the group will start: the oldest record if it reads
 * from the beginning, else the end. A group with no commit at all on the topic is not reported
 * (none): nothing tells "not deployed here" from "not started yet", and a process that never came
 * up is ServiceDown's to report. A commit below the oldest retained offset counts from the oldest.
 */
export function partitionLags(ends: PartitionEnds[], committed: Map<number, string>, fromBeginning: boolean): PartitionLag[] {
  if (![...committed.values()].some((c) => c !== '-1')) return [];
  return ends.map(({ partition, low, high }) => {
    const c = committed.get(partition) ?? '-1';
    const end = BigInt(high);
    const from = c === '-1' ? (fromBeginning ? BigInt(low) : end) : BigInt(c) < BigInt(low) ? BigInt(low) : BigInt(c);
    return { partition, lag: Number(end > from ? end - from : 0n) };
  });
}
