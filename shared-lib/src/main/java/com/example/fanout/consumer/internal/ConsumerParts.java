package com.example.fanout.consumer.internal;

import com.example.fanout.idempotency.BasePersistenceStore;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.metrics.ConsumerMetrics;
import com.example.fanout.publish.ClaimCheckStore;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.runtime.InternalApi;
import com.example.fanout.schema.EventSchemas;
import com.example.fanout.tracing.Tracer;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The collaborators {@code ConsumerRuntime} wires for the batch processor. Kept out of the public
 * {@code ConsumerRuntime} so that a handler cannot reach the publisher (and skip the idempotent
 * {@code emit}), the DLQ client or the idempotency store.
 *
 * @param sqs the DLQ and visibility-backoff client, asked for only when a record fails: a batch that
 *     succeeds never builds it
 * @param idempotency null when the consumer runs without a store (every delivery is handled)
 * @param claimChecks null when the consumer has no claim-check bucket
 * @param backoffBase null to leave a failed record to the queue's visibility timeout
 */
@InternalApi
public record ConsumerParts(
    String service,
    String qualifiedName,
    String source,
    Catalog catalog,
    EventSchemas schemas,
    Supplier<SqsClient> sqs,
    String deadLetterQueueUrl,
    EventPublisher publisher,
    BasePersistenceStore idempotency,
    ClaimCheckStore claimChecks,
    Tracer tracer,
    ConsumerMetrics metrics,
    Clock clock,
    Duration backoffBase,
    Duration backoffMax,
    double logSampleRate) {}
