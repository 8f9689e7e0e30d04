package com.example.fanout.local.sns;

import com.example.fanout.local.sqs.QueueRef;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An SQS subscription with raw message delivery and a message-body filter policy. Failed
 * deliveries go to the subscription's redrive target: the consumer's own DLQ. The faults injected
 * on its deliveries (duplicates, poison copies) are the fault plan's for {@code consumer}, read at
 * each delivery.
 */
public record QueueSubscription(String consumer, QueueRef queue, ObjectNode filterPolicy) {}
