package com.example.fanout.local.sns;

import com.example.fanout.local.ConsumerFaults;
import com.example.fanout.local.sqs.QueueRef;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An SQS subscription with raw message delivery and a message-body filter policy. Failed
 * deliveries go to the subscription's redrive target: the consumer's own DLQ.
 */
public record QueueSubscription(String consumer, QueueRef queue, ObjectNode filterPolicy, ConsumerFaults faults) {}
