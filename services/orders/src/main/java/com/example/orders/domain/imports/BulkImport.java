package com.example.orders.domain.imports;

import com.example.fanout.event.EventJson;
import com.example.orders.domain.ChannelRule;
import com.example.orders.domain.FieldError;
import com.example.orders.domain.InvalidOrderException;
import com.example.orders.domain.OrderIds;
import com.example.orders.domain.OrderPlacement;
import com.example.orders.domain.OrderValidator;
import com.example.orders.domain.Placement;
import com.example.orders.domain.RequestFingerprint;
import com.example.orders.domain.Validation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports one file of orders from the imports bucket: every valid line becomes one order (channel
 * {@code import}) through the same validation and the same single-item write with outbox as the API.
 * The order id comes from (bucket, key, line number), so processing the same object again creates
 * nothing twice. Invalid lines go to {@code rejects/<name>.rejects.jsonl}, the counts to {@code
 * processed/<name>.summary.json}, where {@code <name>} is the key without {@code incoming/}.
 */
public final class BulkImport {
  public static final String INCOMING = "incoming/";
  private static final Logger LOG = LoggerFactory.getLogger(BulkImport.class);

  private final ImportObjects objects;
  private final OrderValidator validator;
  private final OrderPlacement placement;
  private final Clock clock;

  public BulkImport(ImportObjects objects, OrderValidator validator, OrderPlacement placement, Clock clock) {
    this.objects = Objects.requireNonNull(objects, "objects");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.placement = Objects.requireNonNull(placement, "placement");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The same import with its files read and written through {@code objects}, given the current ones. */
  public BulkImport withObjects(UnaryOperator<ImportObjects> objects) {
    return new BulkImport(objects.apply(this.objects), validator, placement, clock);
  }

  public static String name(String key) {
    return key.startsWith(INCOMING) ? key.substring(INCOMING.length()) : key;
  }

  public static String rejectsKey(String key) {
    return "rejects/" + name(key) + ".rejects.jsonl";
  }

  public static String summaryKey(String key) {
    return "processed/" + name(key) + ".summary.json";
  }

  /** Imports {@code s3://bucket/key}; empty when the object is not an import file (wrong prefix or suffix). */
  public Optional<ImportSummary> run(String bucket, String key) {
    if (!key.startsWith(INCOMING)) {
      LOG.info("ignoring s3://{}/{}: imports are read from {} only", bucket, key, INCOMING);
      return Optional.empty();
    }
    var format = ImportFormat.of(key);
    if (format.isEmpty()) {
      LOG.warn("ignoring s3://{}/{}: not a .csv or .jsonl file", bucket, key);
      return Optional.empty();
    }
    Instant started = clock.instant();
    ImportLineReader reader = new ImportLineReader(format.get());
    List<ImportReject> rejects = new ArrayList<>();
    boolean headerRejected = false;
    long orderLines = 0;
    long created = 0;
    long already = 0;
    try (BufferedReader in = objects.open(bucket, key)) {
      long number = 0;
      List<FieldError> headerErrors = null;
      for (String line; (line = in.readLine()) != null; ) {
        number++;
        if (number == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1); // a byte-order mark, as spreadsheet exports write
        }
        if (line.isBlank()) {
          continue;
        }
        if (reader.expectsHeader() && headerErrors == null) {
          headerErrors = reader.header(line);
          if (!headerErrors.isEmpty()) {
            rejects.add(new ImportReject(number, headerErrors, line));
            headerRejected = true;
          }
          continue;
        }
        orderLines++;
        if (headerErrors != null && !headerErrors.isEmpty()) {
          rejects.add(new ImportReject(number, List.of(new FieldError("$", "not imported: the header (first line) is invalid")), line));
          continue;
        }
        LineResult result = importLine(bucket, key, number, line, reader);
        switch (result.outcome()) {
          case CREATED -> created++;
          case ALREADY_IMPORTED -> already++;
          case REJECTED -> rejects.add(result.reject());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read s3://" + bucket + "/" + key, e);
    }
    StringBuilder jsonl = new StringBuilder();
    for (ImportReject reject : rejects) {
      jsonl.append(EventJson.write(reject)).append('\n');
    }
    String rejectsKey = rejectsKey(key);
    objects.put(bucket, rejectsKey, jsonl.toString(), "application/x-ndjson");
    ImportSummary summary = new ImportSummary(bucket, key, format.get().name().toLowerCase(Locale.ROOT),
        orderLines, created, already, rejects.size() - (headerRejected ? 1 : 0), rejectsKey, started, clock.instant());
    objects.put(bucket, summaryKey(key), EventJson.write(summary), "application/json");
    LOG.info("imported s3://{}/{}: {} order lines, {} created, {} already imported, {} rejected",
        bucket, key, orderLines, created, already, summary.rejected());
    return Optional.of(summary);
  }

  private enum LineOutcome { CREATED, ALREADY_IMPORTED, REJECTED }

  private record LineResult(LineOutcome outcome, ImportReject reject) {
    static final LineResult CREATED = new LineResult(LineOutcome.CREATED, null);
    static final LineResult ALREADY_IMPORTED = new LineResult(LineOutcome.ALREADY_IMPORTED, null);

    static LineResult rejected(long line, List<FieldError> errors, String raw) {
      return new LineResult(LineOutcome.REJECTED, new ImportReject(line, errors, raw));
    }
  }

  private LineResult importLine(String bucket, String key, long number, String line, ImportLineReader reader) {
    ImportLineReader.Read read = reader.read(line);
    if (!read.errors().isEmpty()) {
      return LineResult.rejected(number, read.errors(), line);
    }
    Validation validation = validator.validate(read.body(), ChannelRule.IMPORT);
    if (validation instanceof Validation.Invalid invalid) {
      return LineResult.rejected(number, invalid.errors().stream().map(reader::columnName).toList(), line);
    }
    var request = ((Validation.Valid) validation).request();
    String orderId = OrderIds.fromImportLine(bucket, key, number);
    try {
      Placement placed = placement.place(request, orderId, null, RequestFingerprint.of(read.body()),
          "s3://" + bucket + "/" + key + "#L" + number);
      return switch (placed) {
        case Placement.Created c -> LineResult.CREATED;
        case Placement.Replayed r -> LineResult.ALREADY_IMPORTED;
        case Placement.KeyReused k -> LineResult.rejected(number, List.of(new FieldError("$",
            "order " + k.order().id() + " was imported from this line earlier with different content")), line);
      };
    } catch (InvalidOrderException e) {
      return LineResult.rejected(number, e.errors().stream().map(reader::columnName).toList(), line);
    }
  }
}
