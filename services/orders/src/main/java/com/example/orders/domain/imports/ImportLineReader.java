package com.example.orders.domain.imports;

import com.example.fanout.event.EventJson;
import com.example.orders.domain.FieldError;
import com.example.orders.domain.StrictJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one line of an import file into the JSON shape of a POST body, so one validator checks both.
 * A CSV line is a single-line order: {@code customerId,customerEmail,sku,quantity,unitPriceCents,
 * currency,paymentToken[,orderRef]} (columns matched by the header's names, any order).
 */
final class ImportLineReader {
  static final List<String> CSV_REQUIRED = List.of(
      "customerId", "customerEmail", "sku", "quantity", "unitPriceCents", "currency", "paymentToken");
  static final Set<String> CSV_OPTIONAL = Set.of("orderRef");
  private static final Set<String> ITEM_COLUMNS = Set.of("sku", "quantity", "unitPriceCents");

  /** A line read: its JSON body, or why it cannot be read at all. */
  record Read(ObjectNode body, List<FieldError> errors) {}

  private final ImportFormat format;
  private Map<String, Integer> columns;

  ImportLineReader(ImportFormat format) {
    this.format = format;
  }

  /** True if this format starts with a header line. */
  boolean expectsHeader() {
    return format == ImportFormat.CSV;
  }

  /** Reads the CSV header; returns its problems (empty when usable). */
  List<FieldError> header(String line) {
    List<FieldError> errors = new ArrayList<>();
    List<String> names;
    try {
      names = CsvLine.split(line.startsWith("\uFEFF") ? line.substring(1) : line);
    } catch (IllegalArgumentException e) {
      return List.of(new FieldError("header", e.getMessage()));
    }
    Map<String, Integer> found = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim();
      if (!CSV_REQUIRED.contains(name) && !CSV_OPTIONAL.contains(name)) {
        errors.add(new FieldError("header", "unknown column '" + name + "'"));
      } else if (found.putIfAbsent(name, i) != null) {
        errors.add(new FieldError("header", "column '" + name + "' appears twice"));
      }
    }
    for (String required : CSV_REQUIRED) {
      if (!found.containsKey(required)) {
        errors.add(new FieldError("header", "column '" + required + "' is missing"));
      }
    }
    if (errors.isEmpty()) {
      columns = found;
    }
    return errors;
  }

  Read read(String line) {
    return format == ImportFormat.CSV ? csv(line) : jsonl(line);
  }

  private Read jsonl(String line) {
    try {
      JsonNode node = StrictJson.parse(line);
      if (!(node instanceof ObjectNode object)) {
        return new Read(null, List.of(new FieldError("$", "must be a JSON object")));
      }
      return new Read(object, List.of());
    } catch (JsonProcessingException e) {
      return new Read(null, List.of(new FieldError("$", "is not valid JSON: " + e.getOriginalMessage())));
    }
  }

  private Read csv(String line) {
    List<String> fields;
    try {
      fields = CsvLine.split(line);
    } catch (IllegalArgumentException e) {
      return new Read(null, List.of(new FieldError("$", e.getMessage())));
    }
    if (fields.size() != columns.size()) {
      return new Read(null, List.of(new FieldError("$",
          "has " + fields.size() + " fields, the header has " + columns.size())));
    }
    ObjectNode body = EventJson.mapper().createObjectNode();
    ObjectNode item = body.putArray("items").addObject();
    for (Map.Entry<String, Integer> column : columns.entrySet()) {
      String name = column.getKey();
      String value = fields.get(column.getValue()).trim();
      if (value.isEmpty()) {
        continue;
      }
      ObjectNode target = ITEM_COLUMNS.contains(name) ? item : body;
      if (name.equals("quantity") || name.equals("unitPriceCents")) {
        try {
          target.put(name, Long.parseLong(value));
        } catch (NumberFormatException e) {
          target.put(name, value);
        }
      } else {
        target.put(name, value);
      }
    }
    return new Read(body, List.of());
  }

  /** Error fields as a CSV author knows them: {@code sku}, not {@code items[0].sku}. */
  FieldError columnName(FieldError error) {
    if (format != ImportFormat.CSV) {
      return error;
    }
    return new FieldError(error.field().replaceFirst("^items\\[0]\\.", ""), error.message());
  }
}
