package com.example.orders.domain;

import java.util.List;

/** The outcome of validating an order request: the request, or every problem found. */
public sealed interface Validation {
  record Valid(OrderRequest request) implements Validation {}

  record Invalid(List<FieldError> errors) implements Validation {
    public Invalid {
      errors = List.copyOf(errors);
    }
  }
}
