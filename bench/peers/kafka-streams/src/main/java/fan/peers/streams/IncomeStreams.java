package fan.peers.streams;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams baseline of the income aggregator (bench/peers/README.md). Settings from the
 * environment: KAFKA_BROKERS, SCHEMA_REGISTRY_URL (the Confluent-compatible API), EVENTS_TOPIC,
 * CHANGES_TOPIC, APPLICATION_ID, BUSINESS_TZ, STATE_DIR, STREAM_THREADS (2), CLAIM_RETENTION_DAYS
 * (8, as ours keeps its claims). Prints one progress line a second; SIGTERM closes it cleanly.
 */
public final class IncomeStreams {
  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = System.getenv();
    String registry = need(env, "SCHEMA_REGISTRY_URL");
    ZoneId tz = ZoneId.of(env.getOrDefault("BUSINESS_TZ", "Asia/Shanghai"));
    Duration retention = Duration.ofDays(Long.parseLong(env.getOrDefault("CLAIM_RETENTION_DAYS", "8")));

    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, need(env, "APPLICATION_ID"));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, need(env, "KAFKA_BROKERS"));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // One stream thread per core; the EOS commit interval is left at its default (100 ms).
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.parseInt(env.getOrDefault("STREAM_THREADS", "2")));
    props.put(StreamsConfig.STATE_DIR_CONFIG, env.getOrDefault("STATE_DIR", "/tmp/income-streams"));
    // A single-broker bench cluster: internal topics (the changelogs) cannot have 3 replicas.
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.topicPrefix("min.insync.replicas"), 1);

    Topology t = new Topology();
    t.addSource("events", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), need(env, "EVENTS_TOPIC"));
    t.addProcessor("income", () -> new IncomeProcessor(registry, tz, retention, Duration.ofMillis(100)), "events");
    t.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(IncomeProcessor.CLAIMS, retention.multipliedBy(2), retention.multipliedBy(2), false),
            Serdes.String(),
            Serdes.Long()),
        "income");
    for (String name : new String[] {IncomeProcessor.DAILY, IncomeProcessor.WEEKLY})
      t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.Long()), "income");
    for (String name : new String[] {IncomeProcessor.BALANCES, IncomeProcessor.PENDING})
      t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String()), "income");
    t.addSink("changes", need(env, "CHANGES_TOPIC"), Serdes.String().serializer(), Serdes.String().serializer(), "income");

    KafkaStreams streams = new KafkaStreams(t, props);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close(Duration.ofSeconds(30));
      done.countDown();
    }));
    streams.setStateListener((now, before) -> System.out.println("[income-streams] state " + before + " -> " + now));
    streams.start();
    while (!done.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
      System.out.println("[income-streams] processed=" + IncomeProcessor.PROCESSED.get() + " invalid=" + IncomeProcessor.INVALID.get()
          + " duplicates=" + IncomeProcessor.DUPLICATES.get());
    }
  }

  private static String need(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isEmpty()) throw new IllegalArgumentException(name + " is required");
    return v;
  }
}
