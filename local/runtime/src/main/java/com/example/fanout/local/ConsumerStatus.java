package com.example.fanout.local;

/**
 * One consumer's line in the live view: its queue, DLQ and poller counters.
 *
 * @param snsRetrying deliveries to the queue that SNS could not make (the queue answered with a
 *                    server error) and that wait for SNS's next retry: in no queue yet, so neither
 *                    {@code visible} nor any SQS metric counts them
 */
public record ConsumerStatus(
    String consumer, String queue, boolean handlerLoaded, int visible, int inFlight, int dlq, int snsRetrying,
    long invocations, long deleted, long failed, long throttled, int busy, int maxConcurrency) {

  /** Nothing waits for this consumer: no message visible or in flight, no SNS delivery waiting for a retry (the DLQ aside). */
  public boolean idle() {
    return visible == 0 && inFlight == 0 && snsRetrying == 0;
  }
}
