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
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
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
 *       never ignored), with full-jitter backoff, within the retry budget.
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
    List<Pending> entries = prepare(events);
    List<String> published = new ArrayList<>();
    List<FailedEntry> failed = new ArrayList<>();
    int calls = 0;
    for (List<Pending> batch : pack(entries)) {
      calls += send(batch, published, failed);
    }
    List<String> inOrder = events.stream().map(Envelope::id).filter(published::contains).toList();
    return new PublishResult(inOrder, failed, calls);
  }

  private List<Pending> prepare(List<Envelope> events) {
    List<String> reasons = new ArrayList<>();
    List<Pending> out = new ArrayList<>();
    String trace = traceHeaders.current().orElse(null);
    for (Envelope event : events) {
      try {
        schemas.validate(event);
      } catch (SchemaViolationException | UnknownEventTypeException e) {
        reasons.add(event.id() + ": " + e.getMessage());
        continue;
      }
      PutEventsRequestEntry entry = entry(event, trace);
      String tooLarge = limits.rejection(entry);
      if (tooLarge != null && claimChecks != null && claimCheckTypes.contains(event.type())) {
        byte[] payload = EventJson.write(event.data()).getBytes(StandardCharsets.UTF_8);
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

  /** Sends one packed call, retrying its transient failures; returns the number of calls made. */
  private int send(List<Pending> batch, List<String> published, List<FailedEntry> failed) {
    List<Pending> pending = batch;
    Map<Pending, String[]> lastError = new LinkedHashMap<>();
    int attempt = 0;
    while (!pending.isEmpty()) {
      if (attempt > 0) {
        if (!backoff(attempt)) {
          break;
        }
      }
      attempt++;
      List<Pending> retry = new ArrayList<>();
      try {
        List<PutEventsRequestEntry> sending = pending.stream().map(Pending::entry).toList();
        PutEventsResponse response = client.putEvents(r -> r.entries(sending));
        List<PutEventsResultEntry> results = response.entries();
        for (int i = 0; i < pending.size(); i++) {
          Pending p = pending.get(i);
          PutEventsResultEntry result = i < results.size() ? results.get(i) : null;
          if (result != null && result.errorCode() == null && result.eventId() != null) {
            published.add(p.event().id());
          } else {
            String code = result == null ? "MissingResultEntry" : result.errorCode();
            String message = result == null ? "EventBridge returned fewer result entries than sent" : result.errorMessage();
            if (result == null || TRANSIENT_ENTRY_ERRORS.contains(code)) {
              retry.add(p);
              lastError.put(p, new String[] {code, message});
            } else {
              failed.add(new FailedEntry(p.event(), code, message, attempt));
            }
          }
        }
      } catch (SdkException e) {
        String code = e instanceof AwsServiceException a && a.awsErrorDetails() != null && a.awsErrorDetails().errorCode() != null
            ? a.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
        if (!isTransient(e)) {
          pending.forEach(p -> failed.add(new FailedEntry(p.event(), code, e.getMessage(), 1)));
          return attempt;
        }
        for (Pending p : pending) {
          retry.add(p);
          lastError.put(p, new String[] {code, e.getMessage()});
        }
      }
      if (attempt >= this.retry.maxAttempts()) {
        for (Pending p : retry) {
          String[] err = lastError.get(p);
          failed.add(new FailedEntry(p.event(), err[0], err[1], attempt));
        }
        return attempt;
      }
      pending = retry;
    }
    return attempt;
  }

  private boolean backoff(int retryNumber) {
    try {
      sleeper.sleep(retry.delayBefore(retryNumber));
      return true;
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
