package com.example.fanout.consumer;

/**
 * Thrown by a handler when the event can never be processed, whatever the retries (e.g. it refers
 * to an order that cannot exist). The runtime moves the message to the consumer's DLQ at once with
 * this message as the reason, instead of letting it cycle until maxReceiveCount.
 */
public class PoisonMessageException extends RuntimeException {
  public PoisonMessageException(String reason) {
    super(reason);
  }

  public PoisonMessageException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
