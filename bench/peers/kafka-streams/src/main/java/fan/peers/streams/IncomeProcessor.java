package fan.peers.streams;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The income aggregator's job (services/income-aggregator): decode and validate every record,
 * keep crystal.change, claim its event_id once, add a positive amount to the daily income of
 * (star, user, business day) and the weekly income of (star, user, week), keep the latest balance
 * by (occurred_at, event_id), and announce each changed (star, user) once per commit with its new
 * figures. The announcement is coalesced through the `pending` store rather than a field, so an
 * uncommitted change survives a crash as the rest of the state does (EOS restores it).
 */
final class IncomeProcessor implements Processor<byte[], byte[], String, String> {
  static final String CLAIMS = "claims";
  static final String DAILY = "daily-income";
  static final String WEEKLY = "weekly-income";
  static final String BALANCES = "balances";
  static final String PENDING = "pending-changes";
  static final AtomicLong PROCESSED = new AtomicLong();
  static final AtomicLong INVALID = new AtomicLong();
  static final AtomicLong DUPLICATES = new AtomicLong();

  private final ZoneId tz;
  private final Duration claimRetention;
  private final Duration punctuateEvery;
  private final ConfluentAvro avro;
  private final Validate validate = new Validate();
  private ProcessorContext<String, String> ctx;
  private WindowStore<String, Long> claims;
  private KeyValueStore<String, Long> daily;
  private KeyValueStore<String, Long> weekly;
  private KeyValueStore<String, String> balances;
  private KeyValueStore<String, String> pending;
  // One business day per instant is asked again and again: the last one is kept.
  private long dayFrom = Long.MAX_VALUE;
  private long dayTo = Long.MIN_VALUE;
  private String day;
  private String week;

  IncomeProcessor(String registryUrl, ZoneId tz, Duration claimRetention, Duration punctuateEvery) {
    this.avro = new ConfluentAvro(registryUrl);
    this.tz = tz;
    this.claimRetention = claimRetention;
    this.punctuateEvery = punctuateEvery;
  }

  @Override
  public void init(ProcessorContext<String, String> context) {
    ctx = context;
    claims = context.getStateStore(CLAIMS);
    daily = context.getStateStore(DAILY);
    weekly = context.getStateStore(WEEKLY);
    balances = context.getStateStore(BALANCES);
    pending = context.getStateStore(PENDING);
    context.schedule(punctuateEvery, PunctuationType.WALL_CLOCK_TIME, now -> announce());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    PROCESSED.incrementAndGet();
    GenericRecord e;
    String type;
    try {
      e = avro.decode(record.value());
      type = avro.lastWriter.eventType();
    } catch (ConfluentAvro.Poison p) {
      INVALID.incrementAndGet();
      return;
    }
    if (validate.check(type, e) != null) {
      INVALID.incrementAndGet();
      return;
    }
    if (!type.equals("crystal.change")) return;
    String eventId = e.get("event_id").toString();
    long at = (Long) e.get("occurred_at");
    // The claim is stamped with the record's (broker) time, as the windowed de-duplication store
    // expires by stream time: a re-send within the retention is found whatever its occurred_at.
    long ts = record.timestamp();
    try (WindowStoreIterator<Long> seen = claims.fetch(eventId, ts - claimRetention.toMillis(), ts + claimRetention.toMillis())) {
      if (seen.hasNext()) {
        DUPLICATES.incrementAndGet();
        return;
      }
    }
    claims.put(eventId, at, ts);

    String pair = e.get("star_id") + "|" + e.get("user_id");
    GenericRecord p = (GenericRecord) e.get("properties");
    long amount = (Long) p.get("amount");
    String change = pending.get(pair);
    String[] balance = parseBalance(balances.get(pair));
    if (balance == null || later(at, eventId, Long.parseLong(balance[0]), balance[1])) {
      balances.put(pair, at + "|" + eventId + "|" + p.get("balance_after"));
      if (change == null) change = "";
    }
    if (amount > 0) {
      businessDay(at);
      String dk = pair + "|" + day;
      String wk = pair + "|" + week;
      Long d = daily.get(dk);
      daily.put(dk, d == null ? amount : d + amount);
      Long w = weekly.get(wk);
      weekly.put(wk, w == null ? amount : w + amount);
      change = change == null || change.isEmpty() ? day : change.contains(day) ? change : change + "," + day;
    }
    if (change != null) pending.put(pair, change);
  }

  /** One change record per (star, user) changed since the last announcement. */
  private void announce() {
    try (KeyValueIterator<String, String> it = pending.all()) {
      while (it.hasNext()) {
        KeyValue<String, String> kv = it.next();
        String[] sp = kv.key.split("\\|");
        StringBuilder json = new StringBuilder(160).append("{\"star_id\":\"").append(sp[0]).append("\",\"user_id\":\"").append(sp[1]).append('"');
        String[] b = parseBalance(balances.get(kv.key));
        if (b != null) json.append(",\"crystal_balance\":\"").append(b[2]).append('"');
        if (!kv.value.isEmpty()) {
          json.append(",\"daily\":{");
          StringBuilder weeks = new StringBuilder(",\"weekly\":{");
          String[] days = kv.value.split(",");
          for (int i = 0; i < days.length; i++) {
            String wk = weekOf(days[i]);
            if (i > 0) json.append(',');
            json.append('"').append(days[i]).append("\":\"").append(daily.get(kv.key + "|" + days[i])).append('"');
            if (weeks.indexOf(wk) < 0) {
              if (weeks.length() > 12) weeks.append(',');
              weeks.append('"').append(wk).append("\":\"").append(weekly.get(kv.key + "|" + wk)).append('"');
            }
          }
          json.append('}').append(weeks).append('}');
        }
        ctx.forward(new Record<>(kv.key, json.append('}').toString(), ctx.currentSystemTimeMs()));
        pending.delete(kv.key);
      }
    }
  }

  private void businessDay(long at) {
    if (at >= dayFrom && at < dayTo) return;
    LocalDate d = Instant.ofEpochMilli(at).atZone(tz).toLocalDate();
    dayFrom = d.atStartOfDay(tz).toInstant().toEpochMilli();
    dayTo = d.plusDays(1).atStartOfDay(tz).toInstant().toEpochMilli();
    day = d.toString();
    week = weekOf(day);
  }

  private static String weekOf(String day) {
    return LocalDate.parse(day).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString();
  }

  private static String[] parseBalance(String v) {
    if (v == null) return null;
    int a = v.indexOf('|');
    int b = v.lastIndexOf('|');
    return new String[] {v.substring(0, a), v.substring(a + 1, b), v.substring(b + 1)};
  }

  /** (occurred_at, event_id) order, ids by code point (libs/events/src/ids.ts compareEventIds). */
  static boolean later(long at, String id, long thanAt, String thanId) {
    if (at != thanAt) return at > thanAt;
    int n = Math.min(id.length(), thanId.length());
    for (int i = 0; i < n; i++) {
      char x = id.charAt(i);
      char y = thanId.charAt(i);
      if (x == y) continue;
      boolean xs = Character.isSurrogate(x);
      boolean ys = Character.isSurrogate(y);
      if (xs != ys) return xs;
      return x > y;
    }
    return id.length() > thanId.length();
  }
}
