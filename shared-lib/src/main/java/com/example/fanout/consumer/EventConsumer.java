package com.example.fanout.consumer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.example.fanout.consumer.internal.BatchProcessor;
import com.example.fanout.consumer.internal.Registration;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.runtime.FunctionRuntime;
import com.example.fanout.runtime.JitSettling;
import com.example.fanout.runtime.SdkPriming;
import com.example.fanout.runtime.TelemetryPriming;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda entry point of an SQS consumer. A service handler extends it, registers one typed handler
 * per event type through what it passes to the super constructor, and has two constructors:
 *
 * <pre>{@code
 * public final class ReserveStockHandler extends EventConsumer {
 *   public ReserveStockHandler() {                       // Lambda: clients built once per container
 *     this(ConsumerRuntime.fromEnvironment(), new Stock(DynamoDbClient.create()));
 *   }
 *
 *   public ReserveStockHandler(ConsumerRuntime runtime, Stock stock) {   // tests
 *     super(runtime, handlers -> handlers
 *         .on("OrderPlaced", OrderPlaced.class, (event, order, ctx) -> {
 *           Reservation r = stock.reserve(order);
 *           ctx.emit("InventoryReserved", InventoryReserved.of(order, r));
 *         }));
 *   }
 * }
 * }</pre>
 *
 * <p>In Lambda (wherever {@code AWS_LAMBDA_FUNCTION_NAME} is set) the registrations are compared with
 * the consumer's manifest entry ({@code on:}) before the constructor returns: a mismatch fails the
 * function's init, naming both sides, and no message is received (ADR 0091).
 *
 * <p>Per record the runtime unwraps SQS, SNS and EventBridge, resolves claim checks, validates the
 * envelope against its schema, runs the handler once per consumer and event id, publishes the events
 * it emitted and reports partial batch failures. Poison messages go to the DLQ at once.
 *
 * <p>An instance handles one batch at a time, as Lambda calls it; a host that polls in parallel
 * (the local runtime) builds one instance per poller, as Lambda builds one per container.
 *
 * <p>SnapStart: when {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}, the handler registers
 * itself with CRaC and {@link #prime()} runs before the snapshot is taken.
 */
@SuppressWarnings("this-escape")
public abstract class EventConsumer implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {
  /** Batches of ten sample records a consumer that {@linkplain #primesHandlers primes its handlers} runs before a snapshot. */
  public static final int PRIMING_BATCHES = 20;
  private final ConsumerRuntime runtime;
  private final Map<String, Registration<?>> handlers = new LinkedHashMap<>();
  private final BatchProcessor processor;
  private boolean registrationsClosed;

  /**
   * Runs {@code registrations} before returning; in Lambda then compares them with the manifest.
   *
   * @throws IllegalStateException in Lambda, naming both sides, if the registered event types are
   *                               not the manifest's {@code on:}: the function fails its init
   */
  protected EventConsumer(ConsumerRuntime runtime, Consumer<Handlers> registrations) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.processor = new BatchProcessor(runtime.parts(), handlers);
    Objects.requireNonNull(registrations, "registrations").accept(new Handlers(this));
    registrationsClosed = true;
    if (FunctionEnvironment.inFunction()) {
      checkRegistrations();
    }
    // Outside Lambda the service's manifest test compares them (testing.ServiceManifestContract).
    if ("snap-start".equals(FunctionEnvironment.get("AWS_LAMBDA_INITIALIZATION_TYPE").orElse(null))) {
      Core.getGlobalContext().register(this);
    }
  }

  final <T> void register(String eventType, Class<T> dataType, EventHandler<T> handler) {
    if (registrationsClosed) {
      throw new IllegalStateException("the registrations of " + runtime.qualifiedName() + " were passed to its"
          + " constructor and are closed; register " + eventType + " there");
    }
    if (handlers.putIfAbsent(eventType, new Registration<>(eventType, dataType, handler)) != null) {
      throw new IllegalStateException("a handler for " + eventType + " is already registered");
    }
  }

  @Override
  public final SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return processor.process(event, context);
  }

  /** The event types this consumer registered handlers for, in registration order. */
  public final Set<String> registeredEventTypes() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(handlers.keySet()));
  }

  /**
   * Compares the registered event types with the consumer's manifest entry ({@code on:}).
   *
   * @throws IllegalStateException naming both sides if they differ
   */
  public final void checkRegistrations() {
    ConsumerRegistrations.check(runtime, handlers.keySet());
  }

  /**
   * SnapStart priming, run before the snapshot (twice, by {@link JitSettling#prime}): loads and
   * JIT-warms the runtime's own path (JSON, schemas and data readers of the registered types, the
   * SDK's request path of every call the consumer's role grants and their spans through {@link
   * SdkPriming}, the log line and metrics document through {@link TelemetryPriming}) without side
   * effects or network. Then
   * {@value #PRIMING_BATCHES} batches run through the consumer's entry point, every call they make
   * sent to priming's loopback and every line they write dropped (ADR 0120): each holds a poison
   * record, a sample its schema rejects, which is moved to the DLQ; and when the consumer
   * {@linkplain #primesHandlers primes its handlers}, nine of the catalog's samples of its event
   * types, which run through them and the whole record path.
   * Override to warm more of a service's own code, and call {@code super.prime()}.
   */
  protected void prime() {
    Set<String> actions = runtime.awsActions();
    runtime.parts().tracer().primeWith(priming -> SdkPriming.run(FunctionRuntime.PRIMING_ROUNDS, priming, actions, primingInvocations()));
    TelemetryPriming.run(FunctionRuntime.PRIMING_ROUNDS);
    processor.prime();
  }

  /** The batches {@link #prime} runs through the consumer's entry point ({@link BatchProcessor#primeInvocations}). */
  final SdkPriming.Invocations primingInvocations() {
    return contexts -> processor.primeInvocations(contexts, PRIMING_BATCHES, primesHandlers());
  }

  /**
   * Whether SnapStart priming runs the catalog's sample events through this consumer's handlers
   * (Lambda's "invoke priming"); no unless a service says so. Poison records and a retry (a record
   * whose claim another execution holds), which never reach a handler, are primed either way. Say yes only when every call the
   * handlers make goes through the function's AWS clients ({@link com.example.fanout.runtime.AwsClients}),
   * which priming sends to its loopback: anything else a handler calls (a payment provider's HTTP
   * API) it would call for real, with a sample order.
   */
  protected boolean primesHandlers() {
    return false;
  }

  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    JitSettling.prime(this::prime);
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    // Nothing to refresh: clients re-resolve credentials and connections lazily.
  }
}
