package com.example.fanout.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Backward compatibility of a new schema version with the previous one, from the consumers' side:
 * events written to the new version must still carry what readers of the old one rely on.
 * Breaking: a required field removed, a field's type changed, a new required field (producers
 * still emitting the old version would violate it), an enum narrowed.
 */
public final class SchemaCompatibility {
  private SchemaCompatibility() {}

  /** Every breaking change from {@code previous} to {@code next}; empty when compatible. */
  public static List<String> breakingChanges(JsonNode previous, JsonNode next) {
    List<String> out = new ArrayList<>();
    compare(previous, next, "$", out);
    return out;
  }

  private static void compare(JsonNode old, JsonNode neu, String path, List<String> out) {
    Set<String> oldTypes = types(old);
    Set<String> newTypes = types(neu);
    if (!oldTypes.isEmpty() && !newTypes.containsAll(oldTypes) && !(oldTypes.equals(Set.of("integer")) && newTypes.contains("number"))) {
      out.add(path + ": type changed from " + oldTypes + " to " + (newTypes.isEmpty() ? "[any]" : newTypes));
    }
    if (old.has("enum") && neu.has("enum")) {
      Set<JsonNode> kept = new HashSet<>();
      neu.get("enum").forEach(kept::add);
      old.get("enum").forEach(v -> {
        if (!kept.contains(v)) {
          out.add(path + ": enum value " + v + " removed");
        }
      });
    }
    Set<String> oldRequired = strings(old.get("required"));
    Set<String> newRequired = strings(neu.get("required"));
    for (String r : oldRequired) {
      if (!newRequired.contains(r)) {
        out.add(path + "." + r + ": required field removed (or made optional)");
      }
    }
    for (String r : newRequired) {
      if (!oldRequired.contains(r)) {
        out.add(path + "." + r + ": new required field");
      }
    }
    JsonNode oldProps = old.get("properties");
    JsonNode newProps = neu.get("properties");
    if (oldProps != null && oldProps.isObject()) {
      for (Map.Entry<String, JsonNode> p : oldProps.properties()) {
        JsonNode counterpart = newProps == null ? null : newProps.get(p.getKey());
        if (counterpart == null) {
          if (!oldRequired.contains(p.getKey())) {
            out.add(path + "." + p.getKey() + ": optional field removed (readers may use it)");
          }
        } else {
          compare(p.getValue(), counterpart, path + "." + p.getKey(), out);
        }
      }
    }
    if (old.has("items") && neu.has("items")) {
      compare(old.get("items"), neu.get("items"), path + "[]", out);
    }
  }

  private static Set<String> types(JsonNode node) {
    JsonNode t = node.get("type");
    if (t == null) {
      return Set.of();
    }
    return t.isArray() ? strings(t) : Set.of(t.asText());
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new HashSet<>();
    if (array != null && array.isArray()) {
      array.forEach(v -> out.add(v.asText()));
    }
    return out;
  }
}
