package com.example.fanout.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Counts messages and nothing else: the consumer of the throughput measurement. */
public final class CountingSqsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  public static final AtomicLong COUNT = new AtomicLong();

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    COUNT.addAndGet(event.getRecords().size());
    return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
  }
}
