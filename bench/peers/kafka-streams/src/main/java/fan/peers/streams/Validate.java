package fan.peers.streams;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * The contract's rules for a decoded event (CONTRACT §1, as libs/events/src/validate.ts applies
 * them to decoded Avro): what Avro's types do not guarantee. Ours validates every record of the
 * topic before it looks at the type, so the baseline does too. One instance per stream thread.
 */
final class Validate {
  static final long MAX_AMOUNT = 9_007_199_254_740_991L;
  static final long MIN_OCCURRED_AT = 946_684_800_000L; // 2000-01-01T00:00:00Z
  static final long MAX_OCCURRED_AT = 4_102_444_800_000L; // 2100-01-01T00:00:00Z
  private static final Set<String> LEVELS = Set.of("N", "R", "SR", "SSR", "UR");
  private static final String ORDER = "N R SR SSR UR";

  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

  /** Null when the event is valid, else the reason (field path first). */
  String check(String type, GenericRecord r) {
    String id = text(r.get("event_id"));
    if (id == null) return "event_id must be well-formed UTF-8";
    if (id.isEmpty() || id.length() > 64) return "event_id must be a string of 1-64 characters";
    if (id.indexOf('\0') >= 0) return "event_id must not contain NUL (U+0000)";
    if ((Long) r.get("star_id") <= 0) return "star_id must be a positive 64-bit decimal integer";
    long at = (Long) r.get("occurred_at");
    if (at < MIN_OCCURRED_AT || at > MAX_OCCURRED_AT) return "occurred_at must be within 2000-01-01 and 2100-01-01";
    GenericRecord p = (GenericRecord) r.get("properties");
    int bound = 2;
    for (Schema.Field f : p.getSchema().getFields()) {
      Object v = p.get(f.pos());
      String name = f.name();
      bound += name.length() + 4;
      if (v instanceof Long n) {
        bound += 26;
        boolean nonneg = name.equals("duration_ms") || (name.equals("amount") && !type.equals("crystal.change"));
        boolean amount = nonneg || name.equals("amount") || name.equals("balance_after");
        if (nonneg && n < 0) return "properties." + name + " must be >= 0";
        if (amount && (n > MAX_AMOUNT || n < -MAX_AMOUNT)) return "properties." + name + " must be within ±" + MAX_AMOUNT + " (2^53 - 1)";
      } else {
        String s = text(v);
        if (s == null) return "properties." + name + " must be well-formed UTF-8";
        if (s.indexOf('\0') >= 0) return "properties." + name + " must not contain NUL (U+0000)";
        bound += s.length() * 6 + 2;
        if (name.endsWith("level") && !LEVELS.contains(s)) return "properties." + name + " must be one of N, R, SR, SSR, UR";
      }
    }
    // The exact JSON size is measured only near the limit (as ours does); no bench event is near it.
    if (bound > 1024 && jsonBytes(p) > 1024) return "properties exceed 1024 bytes";
    if (type.equals("asset.level_up")
        && ORDER.indexOf(text(p.get("to_level"))) <= ORDER.indexOf(text(p.get("from_level"))))
      return "properties.to_level must be above properties.from_level";
    return null;
  }

  /** Strict UTF-8 (Avro's own toString would turn invalid bytes into U+FFFD: two ids into one). */
  private String text(Object v) {
    if (!(v instanceof Utf8 u)) return v == null ? null : v.toString();
    try {
      return utf8.decode(ByteBuffer.wrap(u.getBytes(), 0, u.getByteLength())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private int jsonBytes(GenericRecord p) {
    return p.toString().getBytes(StandardCharsets.UTF_8).length;
  }
}
