package com.example.fanout.publish;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.schema.EventSchemas;
import com.example.fanout.schema.SchemaViolationException;
import com.example.fanout.schema.UnknownEventTypeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes envelopes to the platform bus with {@code PutEvents}.
 *
 * <ol>
 *   <li>Validates every event against its schema and the chain's size limits first; any refusal
 *       throws {@link EventRejectedException} and nothing is sent.
 *   <li>Packs entries in order into calls of at most 10 entries and 1 MiB (AWS's arithmetic, {@link
 *       PayloadLimits}).
 *   <li>Retries only the entries that failed with a transient code ({@code FailedEntryCount} is
 *       never ignored), with full-jitter backoff, within the retry budget: the failures of every
 *       call are re-packed together, so a retry round costs as few calls as the first.
 *   <li>Returns every event that finally failed; none is dropped silently.
 * </ol>
 *
 * <p>Thread-safe; build one per container and reuse it.
 */
public final class EventPublisher {
  /** Per-entry error codes worth another attempt; anything else (validation, authorisation) is permanent. */
  static final Set<String> TRANSIENT_ENTRY_ERRORS = Set.of(
      "ThrottlingException", "InternalException", "InternalFailure", "ServiceUnavailable",
      "ConcurrentModificationException", "LimitExceededException");

  private final EventBridgeClient client;
  private final String eventBusName;
  private final EventSchemas schemas;
  private final PayloadLimits limits;
  private final RetryPolicy retry;
  private final Sleeper sleeper;
  private final TraceHeaderSource traceHeaders;
  private final ClaimCheckStore claimChecks;
  private final Set<String> claimCheckTypes;

  private EventPublisher(Builder b) {
    this.client = Objects.requireNonNull(b.client, "client");
    this.eventBusName = Objects.requireNonNull(b.eventBusName, "eventBusName");
    this.schemas = Objects.requireNonNull(b.schemas, "schemas");
    this.limits = b.limits;
    this.retry = b.retry;
    this.sleeper = b.sleeper;
    this.traceHeaders = b.traceHeaders;
    this.claimChecks = b.claimChecks;
    this.claimCheckTypes = Set.copyOf(b.claimCheckTypes);
  }

  public static Builder builder() {
    return new Builder();
  }

  public PublishResult publish(Envelope... events) {
    return publish(List.of(events));
  }

  public PublishResult publish(List<Envelope> events) {
    return publish(events, traceHeaders.current().orElse(null));
  }

  /**
   * Publishes events that continue a given trace instead of this thread's: an outbox relay sends
   * what a request wrote in that request's trace, so one order stays one trace across the stream.
   */
  public PublishResult publish(List<Envelope> events, String traceHeader) {
    return publish(events, event -> traceHeader);
  }

  /**
   * Publishes events each in its own trace (a PutEvents entry carries its own trace header): an outbox
   * relay packs the writes of many requests into few calls, and each event continues its request's trace.
   * An event without a header of its own continues this thread's trace.
   */
  public PublishResult publish(List<Envelope> events, Map<String, String> traceHeaderByEventId) {
    String current = traceHeaders.current().orElse(null);
    return publish(events, event -> traceHeaderByEventId.getOrDefault(event.id(), current));
  }

  private PublishResult publish(List<Envelope> events, Function<Envelope, String> traceHeaderOf) {
    List<Pending> pending = prepare(events, traceHeaderOf);
    List<String> published = new ArrayList<>();
    List<FailedEntry> failed = new ArrayList<>();
    Map<Pending, FailedEntry> lastError = new LinkedHashMap<>();
    int calls = 0;
    // Rounds: every packed call is sent once, then the transient failures of all calls are
    // re-packed together and retried after one backoff, until none is left or the budget runs out.
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      if (attempt > 1) {
        backoff(attempt - 1);
      }
      List<Pending> retry = new ArrayList<>();
      for (List<Pending> call : pack(pending)) {
        calls++;
        sendOnce(call, attempt, published, failed, retry, lastError);
      }
      if (attempt >= this.retry.maxAttempts()) {
        retry.forEach(p -> failed.add(lastError.get(p)));
        break;
      }
      pending = retry;
    }
    List<String> inOrder = events.stream().map(Envelope::id).filter(published::contains).toList();
    return new PublishResult(inOrder, failed, calls);
  }

  private List<Pending> prepare(List<Envelope> events, Function<Envelope, String> traceHeaderOf) {
    List<String> reasons = new ArrayList<>();
    List<Pending> out = new ArrayList<>();
    for (Envelope event : events) {
      try {
        schemas.validate(event);
      } catch (SchemaViolationException | UnknownEventTypeException e) {
        reasons.add(event.id() + ": " + e.getMessage());
        continue;
      }
      String trace = traceHeaderOf.apply(event);
      PutEventsRequestEntry entry = entry(event, trace);
      String tooLarge = limits.rejection(entry);
      if (tooLarge != null && claimChecks != null && claimCheckTypes.contains(event.type())) {
        byte[] payload = event.readData(EventJson::write).getBytes(StandardCharsets.UTF_8);
        ClaimCheck claim = claimChecks.put(event.source() + "/" + event.type() + "/" + event.id() + ".json", payload);
        entry = entry(claim.replace(event), trace);
        tooLarge = limits.rejection(entry);
      }
      if (tooLarge != null) {
        reasons.add(event.id() + " (" + event.type() + "): " + tooLarge
            + (claimCheckTypes.contains(event.type()) ? "" : "; enable a claim check for " + event.type() + " to send it through S3"));
        continue;
      }
      out.add(new Pending(event, entry, PayloadLimits.entryBytes(entry)));
    }
    if (!reasons.isEmpty()) {
      throw new EventRejectedException(reasons);
    }
    return out;
  }

  private PutEventsRequestEntry entry(Envelope event, String trace) {
    return PutEventsRequestEntry.builder()
        .eventBusName(eventBusName)
        .source(event.source())
        .detailType(event.type())
        .detail(EventJson.writeEnvelope(event))
        .time(event.occurredAt())
        .traceHeader(trace)
        .build();
  }

  /** In-order greedy packing: a new call starts when the next entry would break the count or byte limit. */
  List<List<Pending>> pack(List<Pending> entries) {
    List<List<Pending>> calls = new ArrayList<>();
    List<Pending> current = new ArrayList<>();
    int bytes = 0;
    for (Pending p : entries) {
      if (!current.isEmpty() && (current.size() == limits.maxEntriesPerCall() || bytes + p.bytes() > limits.maxRequestBytes())) {
        calls.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(p);
      bytes += p.bytes();
    }
    if (!current.isEmpty()) {
      calls.add(current);
    }
    return calls;
  }

  /** Sends one packed call once, sorting its entries into published, failed for good, or to retry. */
  private void sendOnce(List<Pending> call, int attempt, List<String> published, List<FailedEntry> failed,
      List<Pending> retry, Map<Pending, FailedEntry> lastError) {
    try {
      List<PutEventsRequestEntry> entries = call.stream().map(Pending::entry).toList();
      List<PutEventsResultEntry> results = client.putEvents(r -> r.entries(entries)).entries();
      for (int i = 0; i < call.size(); i++) {
        Pending p = call.get(i);
        PutEventsResultEntry result = i < results.size() ? results.get(i) : null;
        if (result != null && result.errorCode() == null && result.eventId() != null) {
          published.add(p.event().id());
        } else if (result == null) {
          retry.add(p);
          lastError.put(p, new FailedEntry(p.event(), "MissingResultEntry", "EventBridge returned fewer result entries than sent", attempt));
        } else {
          FailedEntry failure = new FailedEntry(p.event(), result.errorCode(), result.errorMessage(), attempt);
          if (TRANSIENT_ENTRY_ERRORS.contains(result.errorCode())) {
            retry.add(p);
            lastError.put(p, failure);
          } else {
            failed.add(failure);
          }
        }
      }
    } catch (SdkException e) {
      String code = e instanceof AwsServiceException a && a.awsErrorDetails() != null && a.awsErrorDetails().errorCode() != null
          ? a.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
      for (Pending p : call) {
        FailedEntry failure = new FailedEntry(p.event(), code, e.getMessage(), attempt);
        if (isTransient(e)) {
          retry.add(p);
          lastError.put(p, failure);
        } else {
          failed.add(failure);
        }
      }
    }
  }

  private void backoff(int retryNumber) {
    try {
      sleeper.sleep(retry.delayBefore(retryNumber));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off between PutEvents attempts", e);
    }
  }

  private static boolean isTransient(SdkException e) {
    if (e instanceof SdkServiceException s) {
      return s.isThrottlingException() || s.statusCode() >= 500;
    }
    return e instanceof SdkClientException;
  }

  record Pending(Envelope event, PutEventsRequestEntry entry, int bytes) {}

  public static final class Builder {
    private EventBridgeClient client;
    private String eventBusName;
    private EventSchemas schemas;
    private PayloadLimits limits = PayloadLimits.fanOutChain();
    private RetryPolicy retry = RetryPolicy.defaults();
    private Sleeper sleeper = Sleeper.system();
    private TraceHeaderSource traceHeaders = TraceHeaderSource.lambdaEnvironment();
    private ClaimCheckStore claimChecks;
    private Set<String> claimCheckTypes = Set.of();

    public Builder client(EventBridgeClient client) {
      this.client = client;
      return this;
    }

    /** Name or ARN of the platform bus (Terraform passes it as EVENT_BUS_NAME). */
    public Builder eventBusName(String eventBusName) {
      this.eventBusName = eventBusName;
      return this;
    }

    public Builder schemas(EventSchemas schemas) {
      this.schemas = schemas;
      return this;
    }

    public Builder limits(PayloadLimits limits) {
      this.limits = limits;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    public Builder traceHeaders(TraceHeaderSource traceHeaders) {
      this.traceHeaders = traceHeaders;
      return this;
    }

    /** Send events of these types that are too large for the chain through the store instead. */
    public Builder claimChecks(ClaimCheckStore store, Set<String> eventTypes) {
      this.claimChecks = store;
      this.claimCheckTypes = eventTypes;
      return this;
    }

    public EventPublisher build() {
      return new EventPublisher(this);
    }
  }
}
