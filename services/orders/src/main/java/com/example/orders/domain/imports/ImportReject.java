package com.example.orders.domain.imports;

import com.example.orders.domain.FieldError;
import java.util.List;

/** One line of an import file that became no order: its number (1-based), every problem, the line as read. */
public record ImportReject(long line, List<FieldError> errors, String raw) {
  public ImportReject {
    errors = List.copyOf(errors);
  }
}
