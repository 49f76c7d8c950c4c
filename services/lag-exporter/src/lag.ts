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
 * one, as kafka-lag-exporter and KEDA count it. With nothing committed ("-1") the group will start
 * at the oldest record if it reads from the beginning (so all of them are lag), else at the end
 * (no lag). A committed offset below the oldest retained one counts from the oldest (retention
 * removed the rest).
 */
export function partitionLags(ends: PartitionEnds[], committed: Map<number, string>, fromBeginning: boolean): PartitionLag[] {
  return ends.map(({ partition, low, high }) => {
    const c = committed.get(partition) ?? '-1';
    const end = BigInt(high);
    const from = c === '-1' ? (fromBeginning ? BigInt(low) : end) : BigInt(c) < BigInt(low) ? BigInt(low) : BigInt(c);
    return { partition, lag: Number(end > from ? end - from : 0n) };
  });
}
