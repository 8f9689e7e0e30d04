package com.example.fanout.local.sqs;

/** A provisioned queue and the DLQ its redrive policy points at (null for a DLQ itself). */
public record QueueRef(String name, String url, String arn, String dlqName, String dlqUrl) {
  public boolean isFifo() {
    return name.endsWith(".fifo");
  }
}
