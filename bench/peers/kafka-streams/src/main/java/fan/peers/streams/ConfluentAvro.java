package fan.peers.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Confluent wire format (magic 0, a 4-byte schema id, Avro binary) read through the registry's
 * Confluent-compatible API: each writer schema fetched once by id and cached, as the Confluent
 * deserializer does. One instance per stream thread: the decoder and reader are reused.
 */
final class ConfluentAvro {
  /** A writer schema, its reader and the dashboard event type its record name stands for. */
  record Writer(Schema schema, GenericDatumReader<GenericRecord> reader, String eventType) {}

  static final class Poison extends Exception {
    Poison(String reason) {
      super(reason, null, false, false);
    }
  }

  private static final ConcurrentHashMap<Integer, Writer> WRITERS = new ConcurrentHashMap<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String registryUrl;
  private BinaryDecoder decoder;
  private GenericRecord reuse;
  Writer lastWriter;

  ConfluentAvro(String registryUrl) {
    this.registryUrl = registryUrl.replaceAll("/+$", "");
  }

  GenericRecord decode(byte[] value) throws Poison {
    if (value == null || value.length < 5 || value[0] != 0) throw new Poison("not Confluent-framed Avro");
    int id = ByteBuffer.wrap(value, 1, 4).getInt();
    Writer w = WRITERS.get(id);
    if (w == null) w = WRITERS.computeIfAbsent(id, this::fetch);
    if (w.eventType == null) throw new Poison("schema id " + id + " is not a dashboard event");
    lastWriter = w;
    decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, decoder);
    try {
      // Records are not reused: the processor keeps nothing of them past the call, and a reused
      // record would carry one type's fields into the next when types interleave.
      GenericRecord r = w.reader.read(null, decoder);
      if (!decoder.isEnd()) throw new Poison("trailing bytes after the record");
      return r;
    } catch (IOException | RuntimeException e) {
      throw new Poison("undecodable record: " + e.getMessage());
    }
  }

  private Writer fetch(int id) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id)).GET().build();
    try {
      HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() == 404) return new Writer(null, null, null);
      // Anything else is the registry's trouble, not the record's: thrown, the thread dies and
      // Kafka Streams replaces it (the baseline's equivalent of our transient retry).
      if (res.statusCode() != 200) throw new IllegalStateException("registry answered " + res.statusCode() + " for schema id " + id);
      Schema schema = new Schema.Parser().parse(JSON.readTree(res.body()).get("schema").asText());
      return new Writer(schema, new GenericDatumReader<>(schema), eventTypeOf(schema.getFullName()));
    } catch (IOException e) {
      throw new IllegalStateException("registry unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** fan.dashboard.events.CrystalChange → crystal.change; null for anything that is not an event. */
  static String eventTypeOf(String fullName) {
    String prefix = "fan.dashboard.events.";
    if (fullName == null || !fullName.startsWith(prefix)) return null;
    return switch (fullName.substring(prefix.length())) {
      case "AssetLike" -> "asset.like";
      case "AssetMint" -> "asset.mint";
      case "AssetLevelUp" -> "asset.level_up";
      case "ExhibitionStart" -> "exhibition.start";
      case "ExhibitionEnd" -> "exhibition.end";
      case "ExhibitionRevenue" -> "exhibition.revenue";
      case "CrystalChange" -> "crystal.change";
      default -> null;
    };
  }
}
