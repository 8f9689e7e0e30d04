package com.example.fanout.local;

/** One consumer's line in the live view: its queue, DLQ and poller counters. */
public record ConsumerStatus(
    String consumer, String queue, boolean handlerLoaded, int visible, int inFlight, int dlq,
    long invocations, long deleted, long failed, long throttled, int busy, int maxConcurrency) {}
