package com.example.inventory.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lines of one order merged per sku, in first-seen order. */
final class StockLines {
  private StockLines() {}

  /**
   * One line per sku. Needed for idempotency: the stock item remembers which orders hold it (a set of
   * order ids), so two lines of the same sku in one order must be reserved as one update.
   */
  static List<StockLine> mergeBySku(List<StockLine> lines) {
    Map<String, Integer> bySku = new LinkedHashMap<>();
    for (StockLine line : lines) {
      bySku.merge(line.sku(), line.quantity(), Integer::sum);
    }
    return bySku.entrySet().stream().map(e -> new StockLine(e.getKey(), e.getValue())).toList();
  }
}
