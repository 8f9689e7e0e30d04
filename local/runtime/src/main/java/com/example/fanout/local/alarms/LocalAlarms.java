package com.example.fanout.local.alarms;

import com.example.fanout.local.LocalClock;
import com.example.fanout.local.lambda.InvocationObserver;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The local CloudWatch: the metrics AWS services would publish, produced by the stand-ins
 * (queue depth and age sampled from ElasticMQ, Lambda invocations, errors, throttles and duration
 * from the invoker and the SQS pollers, the HTTP API's 4xx/5xx, the stream relays' iterator age,
 * the on-failure records Lambda could not deliver, the runs EventBridge Scheduler could not park,
 * and whatever a stand-in reports through {@link #sink()}), the functions' own EMF metrics read
 * from stdout, and every alarm evaluated on the local clock.
 */
public final class LocalAlarms implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalAlarms.class);
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
  private static final Duration MIN_REAL_INTERVAL = Duration.ofMillis(250);
  private static final Duration MAX_REAL_INTERVAL = Duration.ofSeconds(5);

  /**
   * The service metrics this class and the stand-ins produce ({@code namespace metric [dimensions]});
   * an alarm on anything else of an {@code AWS/} namespace could never fire locally.
   */
  public static final java.util.Set<String> PRODUCED = java.util.Set.of(
      "AWS/SQS ApproximateNumberOfMessagesVisible [QueueName]",
      "AWS/SQS ApproximateNumberOfMessagesNotVisible [QueueName]",
      "AWS/SQS ApproximateAgeOfOldestMessage [QueueName]",
      "AWS/Lambda Invocations [FunctionName]",
      "AWS/Lambda Errors [FunctionName]",
      "AWS/Lambda Throttles [FunctionName]",
      "AWS/Lambda Duration [FunctionName]",
      "AWS/Lambda IteratorAge [FunctionName]",
      "AWS/Lambda DestinationDeliveryFailures [FunctionName]",
      "AWS/Scheduler InvocationsFailedToBeSentToDeadLetterCount [ScheduleGroup]",
      "AWS/ApiGateway Count [ApiId, Stage]",
      "AWS/ApiGateway 4xx [ApiId, Stage]",
      "AWS/ApiGateway 5xx [ApiId, Stage]",
      "AWS/Events FailedInvocations [EventBusName, RuleName]",
      "AWS/Events InvocationsFailedToBeSentToDlq [EventBusName, RuleName]",
      "AWS/SNS NumberOfNotificationsFailed [TopicName]",
      "AWS/SNS NumberOfNotificationsFailedToRedriveToDlq [TopicName]");

  /** {@code namespace metric [dimension names]}, as {@link #PRODUCED} lists them. */
  public static String signature(MetricKey key) {
    return key.namespace() + " " + key.metric() + " " + key.dimensions().keySet();
  }

  private final LocalClock clock;
  private final SqsClient sqs;
  private final MetricStore metrics;
  private final AlarmEvaluator evaluator;
  private final List<AlarmTransition> transitions = new CopyOnWriteArrayList<>();
  private final List<Consumer<AlarmTransition>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Optional<String>> queueUrls = new ConcurrentHashMap<>();
  private final Map<String, Instant> nonEmptySince = new ConcurrentHashMap<>();
  private final List<String> queues;
  private PrintStream tappedFrom;
  private PrintStream tap;
  private Thread sampler;

  public LocalAlarms(LocalClock clock, SqsClient sqs, List<AlarmDefinition> definitions) {
    this.clock = clock;
    this.sqs = sqs;
    this.metrics = new MetricStore(clock);
    this.evaluator = new AlarmEvaluator(metrics, definitions);
    this.queues = definitions.stream().filter(d -> d.namespace().equals("AWS/SQS"))
        .map(d -> d.dimensions().get("QueueName")).filter(q -> q != null).distinct().toList();
  }

  /** Starts reading functions' EMF output from stdout and sampling, evaluating every few local seconds. */
  public synchronized LocalAlarms start() {
    tappedFrom = System.out;
    tap = new EmfReader(metrics).tee(tappedFrom);
    System.setOut(tap);
    sampler = Thread.ofPlatform().daemon().name("local-cloudwatch").start(this::run);
    return this;
  }

  public MetricSink sink() {
    return metrics;
  }

  public MetricStore metrics() {
    return metrics;
  }

  /** Lambda's Invocations, Errors, Duration and Throttles ({@code AWS/Lambda}, dimension FunctionName), as they happen. */
  public InvocationObserver invocations() {
    return new InvocationObserver() {
      @Override
      public void invoked(String function, Duration duration, boolean error) {
        Map<String, String> dimensions = Map.of("FunctionName", function);
        metrics.put("AWS/Lambda", "Invocations", dimensions, 1);
        metrics.put("AWS/Lambda", "Errors", dimensions, error ? 1 : 0);
        metrics.put("AWS/Lambda", "Duration", dimensions, duration.toNanos() / 1e6);
      }

      @Override
      public void throttled(String function) {
        metrics.put("AWS/Lambda", "Throttles", Map.of("FunctionName", function), 1);
      }
    };
  }

  /** Lambda's DestinationDeliveryFailures: a record for {@code function}'s on-failure destination could not be sent there. */
  public void destinationDeliveryFailed(String function) {
    metrics.put("AWS/Lambda", "DestinationDeliveryFailures", Map.of("FunctionName", function), 1);
  }

  /**
   * EventBridge Scheduler's InvocationsFailedToBeSentToDeadLetterCount: a run of a schedule in
   * {@code group} that was not delivered could not be written to the schedule's DLQ either.
   */
  public void scheduleDeadLetterFailed(String group) {
    metrics.put("AWS/Scheduler", "InvocationsFailedToBeSentToDeadLetterCount", Map.of("ScheduleGroup", group), 1);
  }

  /** API Gateway's 4xx and 5xx ({@code AWS/ApiGateway}, dimensions ApiId and Stage); the API's name stands for its id. */
  public void apiResponse(String api, int status) {
    Map<String, String> dimensions = Map.of("ApiId", api, "Stage", AlarmDefinitions.STAGE);
    metrics.put("AWS/ApiGateway", "Count", dimensions, 1);
    metrics.put("AWS/ApiGateway", "4xx", dimensions, status >= 400 && status < 500 ? 1 : 0);
    metrics.put("AWS/ApiGateway", "5xx", dimensions, status >= 500 ? 1 : 0);
  }

  /** Lambda's IteratorAge in ms of the local clock: a relay {@code age} behind is that many times further behind on a fast clock. */
  public void iteratorAge(String function, Duration age) {
    metrics.put("AWS/Lambda", "IteratorAge", Map.of("FunctionName", function), localMillis(age));
  }

  private double localMillis(Duration real) {
    return Math.max(0, real.toNanos() / 1e6 * clock.speed());
  }

  /** Told of every transition as it happens (the live view, the log). */
  public void onTransition(Consumer<AlarmTransition> listener) {
    listeners.add(listener);
  }

  public List<AlarmStatus> status() {
    return evaluator.status();
  }

  public List<AlarmTransition> transitions() {
    return List.copyOf(transitions);
  }

  public java.util.Collection<AlarmDefinition> definitions() {
    return evaluator.definitions();
  }

  /** Samples and evaluates now (the sampler thread does it every few local seconds). */
  public synchronized List<AlarmTransition> tick() {
    Instant now = clock.now();
    sampleQueues(now);
    List<AlarmTransition> changed = evaluator.evaluate(now);
    for (AlarmTransition t : changed) {
      transitions.add(t);
      if (t.to() == AlarmState.ALARM) {
        LOG.warn("alarm {}", t);
      } else {
        LOG.info("alarm {}", t);
      }
      listeners.forEach(l -> l.accept(t));
    }
    return changed;
  }

  private void run() {
    Duration interval = clock.toReal(SAMPLE_EVERY);
    if (interval.compareTo(MIN_REAL_INTERVAL) < 0) {
      interval = MIN_REAL_INTERVAL;
    } else if (interval.compareTo(MAX_REAL_INTERVAL) > 0) {
      interval = MAX_REAL_INTERVAL;
    }
    while (!Thread.currentThread().isInterrupted()) {
      try {
        tick();
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.debug("local CloudWatch sample failed: {}", e.toString());
      }
    }
  }

  /** ApproximateNumberOfMessagesVisible and ApproximateAgeOfOldestMessage of every queue an alarm watches. */
  private void sampleQueues(Instant now) {
    for (String queue : queues) {
      Optional<String> url = queueUrls.computeIfAbsent(queue, this::url);
      if (url.isEmpty()) {
        continue;
      }
      Map<QueueAttributeName, String> a;
      try {
        a = sqs.getQueueAttributes(b -> b.queueUrl(url.get()).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
      } catch (QueueDoesNotExistException e) {
        queueUrls.remove(queue);
        continue;
      }
      int visible = Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
      int inFlight = Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
      Map<String, String> dimensions = Map.of("QueueName", queue);
      metrics.putGauge("AWS/SQS", "ApproximateNumberOfMessagesVisible", dimensions, visible);
      metrics.putGauge("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", dimensions, inFlight);
      // ElasticMQ does not report message age: the age of the oldest message is taken as the time
      // since the queue was last seen empty, an upper bound that is exact for a queue nobody drains.
      Instant since = visible + inFlight == 0 ? null : nonEmptySince.computeIfAbsent(queue, q -> now);
      if (since == null) {
        nonEmptySince.remove(queue);
      }
      metrics.putGauge("AWS/SQS", "ApproximateAgeOfOldestMessage", dimensions,
          since == null ? 0 : Duration.between(since, now).toSeconds());
    }
  }

  private Optional<String> url(String queue) {
    try {
      return Optional.of(sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl());
    } catch (QueueDoesNotExistException e) {
      return Optional.empty();
    }
  }

  /**
   * The transitions seen while an order was in flight (between its first and last span, plus a few
   * seconds), as lines for its timeline; empty when there were none.
   */
  public String during(List<com.example.fanout.local.observability.Span> spans) {
    if (spans.isEmpty()) {
      return "";
    }
    Instant from = spans.stream().map(com.example.fanout.local.observability.Span::start).min(Instant::compareTo).orElseThrow();
    Instant to = spans.stream().map(s -> s.end() != null ? s.end() : s.start()).max(Instant::compareTo).orElseThrow().plusSeconds(5);
    StringBuilder out = new StringBuilder();
    for (AlarmTransition t : transitions) {
      if (!t.observedAt().isBefore(from) && !t.observedAt().isAfter(to)) {
        out.append(String.format("  %s  alarm %s %s -> %s (%s)%n", t.observedAt(), t.alarm(), t.from(), t.to(), t.runbook()));
      }
    }
    return out.isEmpty() ? "" : "\nalarms that changed state meanwhile:\n" + out;
  }

  /** Every metric and dimension set that has received a datapoint: what some code emits. */
  public List<MetricKey> emitted() {
    return new ArrayList<>(metrics.keys());
  }

  @Override
  public synchronized void close() {
    if (sampler != null) {
      sampler.interrupt();
    }
    if (tap != null && System.out == tap) {
      System.setOut(tappedFrom);
    }
  }
}
