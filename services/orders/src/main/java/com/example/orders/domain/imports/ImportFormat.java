package com.example.orders.domain.imports;

import java.util.Locale;
import java.util.Optional;

/** The two import file formats, told apart by the object key's suffix. */
public enum ImportFormat {
  CSV(".csv"),
  JSONL(".jsonl");

  private final String suffix;

  ImportFormat(String suffix) {
    this.suffix = suffix;
  }

  public static Optional<ImportFormat> of(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    for (ImportFormat format : values()) {
      if (lower.endsWith(format.suffix)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }
}
