package com.example.orders.domain;

import java.util.List;

/** The order request broke a rule found after the first validation (the event schema's). */
public final class InvalidOrderException extends RuntimeException {
  private final List<FieldError> errors;

  public InvalidOrderException(List<FieldError> errors) {
    super("invalid order: " + errors);
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
