package com.example.fanout.consumer.internal;

import com.example.fanout.consumer.PoisonMessageException;
import com.example.fanout.event.InvalidEnvelopeException;
import com.example.fanout.idempotency.IdempotencyValidationException;
import com.example.fanout.publish.EventRejectedException;
import com.example.fanout.runtime.InternalApi;
import com.example.fanout.schema.SchemaViolationException;
import com.example.fanout.schema.UnknownEventTypeException;

/**
 * Why a record failed, as the {@code fanout-failure-class} attribute of a dead letter says. Every
 * class but {@link #TRANSIENT} is poison: retrying cannot succeed, so the message goes to the DLQ at once.
 */
@InternalApi
public enum FailureClass {
  INVALID_ENVELOPE("invalid-envelope"),
  UNKNOWN_EVENT_TYPE("unknown-event-type"),
  SCHEMA_VIOLATION("schema-violation"),
  NO_HANDLER("no-handler"),
  IDEMPOTENCY_VALIDATION("idempotency-validation"),
  EMITTED_EVENT_REJECTED("emitted-event-rejected"),
  HANDLER_POISON("handler-poison"),
  /** An {@link Error} from the handler or the payload (stack overflow, failed static initialiser): it recurs on a retry. */
  HANDLER_ERROR("handler-error"),
  /** The handler's follow-ups cannot be kept for a duplicate: too large, and no claim-check store. */
  FOLLOW_UPS_TOO_LARGE("follow-ups-too-large"),
  TRANSIENT("transient");

  private final String label;

  FailureClass(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean isPoison() {
    return this != TRANSIENT;
  }

  /**
   * Errors after which the JVM cannot be trusted to process more records ({@link OutOfMemoryError},
   * {@link InternalError}, ...). A {@link StackOverflowError} is not: the stack unwinds and is whole again.
   */
  static boolean isFatal(Throwable failure) {
    return failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError);
  }

  /** The class of the first recognised exception in the cause chain; transient if none is. */
  static FailureClass of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      FailureClass c = direct(t);
      if (c != null) {
        return c;
      }
    }
    return TRANSIENT;
  }

  private static FailureClass direct(Throwable t) {
    if (t instanceof NoHandlerException) {
      return NO_HANDLER;
    }
    if (t instanceof PoisonMessageException) {
      return HANDLER_POISON;
    }
    if (t instanceof InvalidEnvelopeException) {
      return INVALID_ENVELOPE;
    }
    if (t instanceof UnknownEventTypeException) {
      return UNKNOWN_EVENT_TYPE;
    }
    if (t instanceof SchemaViolationException) {
      return SCHEMA_VIOLATION;
    }
    if (t instanceof IdempotencyValidationException) {
      return IDEMPOTENCY_VALIDATION;
    }
    if (t instanceof EventRejectedException) {
      return EMITTED_EVENT_REJECTED;
    }
    if (t instanceof FollowUpsTooLargeException) {
      return FOLLOW_UPS_TOO_LARGE;
    }
    if (t instanceof Error && !isFatal(t)) {
      return HANDLER_ERROR;
    }
    return null;
  }

  /** The follow-ups do not fit in an idempotency record and there is nowhere else to keep them. */
  static final class FollowUpsTooLargeException extends RuntimeException {
    FollowUpsTooLargeException(String message) {
      super(message);
    }
  }

  /** The consumer receives an event type it registered no handler for: its subscription filter is wrong. */
  static final class NoHandlerException extends RuntimeException {
    NoHandlerException(String message) {
      super(message);
    }
  }
}
