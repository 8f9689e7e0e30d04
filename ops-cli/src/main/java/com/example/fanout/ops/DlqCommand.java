package com.example.fanout.ops;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** {@code fanout dlq inspect|redrive <service>-<consumer>}. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Look into and redrive a consumer's DLQ.",
    subcommands = {DlqCommand.Inspect.class, DlqCommand.Redrive.class, DlqCommand.Delete.class, DlqCommand.Purge.class})
final class DlqCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code <service>-<consumer>} as written in the alarm, with or without a trailing {@code -dlq}. */
  /** {@code <service>-events-rule}: the DLQ of the rule that forwards a service's events to its topic. */
  static final String RULE_DLQ_SUFFIX = "-events-rule";

  static String consumerName(String name) {
    return name.endsWith("-dlq") ? name.substring(0, name.length() - 4) : name;
  }

  /** {@code dlq inspect -o json}: the DLQ's depth and the messages peeked, with their failure attributes. */
  record Inspection(String dlq, long messages, long visible, long inFlight, List<DeadLetter> peeked) {}

  @Command(name = "inspect", mixinStandardHelpOptions = true,
      description = {"Peek at DLQ messages without consuming them: event, correlation id, failure reason.", "",
          "Receives with visibility timeout 0 and shows event id, type, correlation id and the fanout-*",
          "failure attributes the consumer runtime attached (reason, class, consumer)."})
  static final class Inspect implements Callable<Integer> {
    @Mixin
    Target target;

    @Mixin
    Output output;

    @Parameters(paramLabel = "<service>-<consumer>", description = "the consumer (also <service>-events-rule for a rule DLQ)")
    String name;

    @Option(names = "--max", defaultValue = "10", description = "at most this many messages (default ${DEFAULT-VALUE})")
    int max;

    @Option(names = "--body", description = "print each message body in full")
    boolean body;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      String dlqName = target.physical(consumerName(name) + "-dlq");
      try (SqsClient sqs = target.sqs()) {
        Queues queues = new Queues(sqs);
        String url = queues.requireUrl(dlqName);
        Queues.Depth depth = queues.depth(url);
        long total = depth.visible() + depth.inFlight() + depth.delayed();
        List<Message> messages = total == 0 ? List.of() : queues.peek(url, Math.max(1, max));
        if (output.json()) {
          output.printJson(out, new Inspection(dlqName, total, depth.visible(), depth.inFlight(),
              messages.stream().map(DeadLetter::of).toList()));
          return 0;
        }
        out.printf("%s: %d message(s) (%d visible, %d in flight); showing %d, none consumed%n",
            dlqName, total, depth.visible(), depth.inFlight(), messages.size());
        Instant now = Instant.now();
        int i = 0;
        for (Message m : messages) {
          DeadLetter d = DeadLetter.of(m);
          out.printf("%n[%d] message %s  receives=%s  age=%s%n", ++i, d.messageId(), nz(d.receiveCount()),
              d.sentTimestamp() == null ? "?" : Queues.human(Duration.between(Instant.ofEpochMilli(Long.parseLong(d.sentTimestamp())), now)));
          out.printf("    event        id=%s  type=%s  correlation=%s%n", nz(d.eventId()), nz(d.eventType()), nz(d.correlationId()));
          if (d.failureReason() != null || d.failureClass() != null) {
            out.printf("    failure      class=%s  consumer=%s%n", nz(d.failureClass()), nz(d.consumer()));
            out.printf("    reason       %s%n", nz(d.failureReason()));
            out.printf("    from         %s (message %s)%n", nz(d.sourceQueue()), nz(d.originalMessageId()));
          } else if (!d.otherAttributes().isEmpty()) {
            out.printf("    attributes   %s%n", String.join("  ", d.otherAttributes().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList()));
          } else if (d.eventId() != null) {
            out.printf("    failure      no fanout-* attributes: the queue's redrive policy moved it after maxReceiveCount"
                + " failed receives (transient failure, crash or timeout); see the function's errors%n");
          }
          if (!d.bodyIsJson()) {
            out.printf("    body         not JSON (%d chars): can never be processed%n", d.body().length());
          } else if (d.eventId() == null && !body) {
            out.printf("    body         %s%n", d.body().length() > 600 ? d.body().substring(0, 600) + "..." : d.body());
          }
          if (body) {
            out.printf("    body         %s%n", d.body());
          }
        }
      }
      return 0;
    }
  }

  /**
   * {@code dlq redrive -o json}: how many messages the DLQ held, how many were moved (or re-published),
   * the outcome and what is left. {@code method} is {@code message-move-task} for a consumer's DLQ,
   * {@code put-events} for a rule DLQ and {@code stream-records} for a stream DLQ (the described records
   * read back and the function invoked with them); {@code status} is the move task's final status,
   * {@code EMPTY} when there was nothing to do, and otherwise {@code COMPLETED} or {@code PARTIAL} (some left).
   */
  record Redriven(String dlq, String destination, String method, long messages, long moved, String status,
      String taskHandle, long remaining, List<Output.Failure> failures) {}

  @Command(name = "redrive", mixinStandardHelpOptions = true,
      description = {"Move the DLQ's messages back to the consumer's queue and wait until they are moved.", "",
          "Checks with ListDeadLetterSourceQueues that <service>-<consumer>-dlq is the DLQ of <service>-<consumer>,",
          "starts a message move task and follows ListMessageMoveTasks until it completes (bounded by --wait).",
          "For a rule DLQ (<service>-events-rule) it puts each parked event back on the bus and deletes it once accepted.",
          "For a stream DLQ (<service>-<stream>, e.g. orders-outbox-relay) it reads each described batch back from the",
          "stream (DynamoDB Streams GetRecords), invokes the function with it and deletes the description once handled."})
  static final class Redrive implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(500);
    /** StartMessageMoveTask's MaxNumberOfMessagesPerSecond is at most 500. */
    private static final int MAX_RATE = 500;

    @Mixin
    Target target;

    @Mixin
    Output output;

    @Parameters(paramLabel = "<service>-<consumer>", description = "the consumer whose DLQ to redrive (or <service>-events-rule, or <service>-<stream>)")
    String name;

    @Option(names = "--rate", description = "messages per second (default: as fast as SQS moves them)")
    Integer rate;

    @Option(names = "--wait", defaultValue = "120", description = "seconds to follow the move task (default ${DEFAULT-VALUE})")
    int waitSeconds;

    @Option(names = "--include-poison", description = "move messages the consumer runtime judged poison too (they come back)")
    boolean includePoison;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      if (rate != null && (rate < 1 || rate > MAX_RATE)) {
        throw new OpsException(Fanout.REFUSED, "--rate must be 1.." + MAX_RATE + " messages per second (SQS's limit), was " + rate);
      }
      String queueName = target.physical(consumerName(name));
      String dlqName = queueName + "-dlq";
      try (SqsClient sqs = target.sqs()) {
        Queues queues = new Queues(sqs);
        String dlqUrl = queues.requireUrl(dlqName);
        Redriven result = consumerName(name).endsWith(RULE_DLQ_SUFFIX) ? redriveRuleDlq(sqs, queues, dlqName, dlqUrl)
            : isStreamTrigger(consumerName(name)) ? redriveStreamDlq(sqs, queues, dlqName, dlqUrl)
            : moveBack(sqs, queues, queueName, dlqName, dlqUrl);
        report(result);
        return "COMPLETED".equals(result.status()) || "EMPTY".equals(result.status()) ? 0 : Fanout.FAILED;
      }
    }

    private Redriven moveBack(SqsClient sqs, Queues queues, String queueName, String dlqName, String dlqUrl)
        throws InterruptedException {
      PrintWriter notes = output.notes(spec);
      String queueUrl = queues.url(queueName).orElseThrow(() -> new OpsException(Fanout.REFUSED, "there is no queue "
          + queueName + ", so " + dlqName + " is not a consumer's DLQ. Schedule and bucket DLQs hold"
          + " failure records, not queue messages: replay or re-publish what they describe (see their runbook)."));
      List<String> sources = sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlqUrl)).queueUrls();
      if (sources.stream().noneMatch(u -> sameQueue(u, queueUrl))) {
        throw new OpsException(Fanout.REFUSED, dlqName + " is not the DLQ of " + queueName + " (its source queues: "
            + (sources.isEmpty() ? "none" : String.join(", ", sources)) + "); refusing to move messages."
            + " Schedule, stream and bucket DLQs hold failure records, not queue messages: see their runbooks.");
      }
      Queues.Depth before = queues.depth(dlqUrl);
      long toMove = before.visible() + before.inFlight() + before.delayed();
      if (toMove == 0) {
        return new Redriven(dlqName, queueName, "message-move-task", 0, 0, "EMPTY", null, 0, List.of());
      }
      long poison = queues.peek(dlqUrl, 10).stream().map(DeadLetter::of)
          .filter(d -> d.failureClass() != null && !"transient".equals(d.failureClass())).count();
      if (poison > 0 && !includePoison) {
        throw new OpsException(Fanout.REFUSED, poison + " of the first messages of " + dlqName + " are poison (fanout-failure-class"
            + " set by the consumer runtime): redriven, they come straight back. Record their ids (fanout dlq inspect "
            + consumerName(name) + "), publish what the order needs (fanout publish) and delete them (fanout dlq delete);"
            + " --include-poison moves them anyway, e.g. after a handler fix that now accepts them.");
      }
      if (before.inFlight() > 0) {
        notes.printf("note: %d message(s) of %s are in flight (someone is reading them); they move once visible again%n",
            before.inFlight(), dlqName);
      }
      String dlqArn = queues.arn(dlqUrl);
      String queueArn = queues.arn(queueUrl);
      String handle;
      try {
        handle = sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn).destinationArn(queueArn)
            .maxNumberOfMessagesPerSecond(rate)).taskHandle();
      } catch (SqsException e) {
        throw new OpsException(Fanout.FAILED, "StartMessageMoveTask " + dlqName + " -> " + queueName + " failed: "
            + e.awsErrorDetails().errorMessage() + " (a move task may already be running: "
            + "aws sqs list-message-move-tasks --source-arn " + dlqArn + ")");
      }
      notes.printf("moving %d message(s) %s -> %s%s (task %s)%n", toMove, dlqName, queueName,
          rate == null ? "" : " at " + rate + "/s", handle);
      Instant deadline = Instant.now().plusSeconds(waitSeconds);
      ListMessageMoveTasksResultEntry task = null;
      Progress progress = Progress.of(notes, "moved", toMove);
      while (Instant.now().isBefore(deadline)) {
        List<ListMessageMoveTasksResultEntry> tasks =
            sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn).maxResults(1)).results();
        task = tasks.isEmpty() ? null : tasks.getFirst();
        if (task != null && task.approximateNumberOfMessagesMoved() != null) {
          progress.update(task.approximateNumberOfMessagesMoved());
        }
        if (task != null && !"RUNNING".equals(task.status()) && !"CANCELLING".equals(task.status())) {
          break;
        }
        if (task != null && task.approximateNumberOfMessagesMoved() > 2 * toMove + 10) {
          // The messages come back as fast as they are moved: the consumer still fails them.
          String running = task.taskHandle() != null ? task.taskHandle() : handle;
          sqs.cancelMessageMoveTask(b -> b.taskHandle(running));
          throw new OpsException(Fanout.FAILED, "cancelled the move: " + task.approximateNumberOfMessagesMoved() + " moves for "
              + toMove + " message(s), they keep failing back into " + dlqName + ". The cause is not fixed; see"
              + " fanout dlq inspect " + consumerName(name) + " and the function's errors.");
        }
        Thread.sleep(POLL);
      }
      if (task == null || "RUNNING".equals(task.status()) || "CANCELLING".equals(task.status())) {
        throw new OpsException(Fanout.FAILED, "the move task is still " + (task == null ? "unknown" : task.status())
            + " after " + waitSeconds + " s; follow it with: aws sqs list-message-move-tasks --source-arn " + dlqArn);
      }
      long moved = task.approximateNumberOfMessagesMoved() == null ? 0 : task.approximateNumberOfMessagesMoved();
      progress.finish(moved);
      Queues.Depth after = queues.depth(dlqUrl);
      return new Redriven(dlqName, queueName, "message-move-task", toMove, moved, task.status(), handle,
          after.visible() + after.inFlight() + after.delayed(),
          task.failureReason() == null ? List.of() : List.of(new Output.Failure(handle, task.failureReason())));
    }

    private Redriven redriveRuleDlq(SqsClient sqs, Queues queues, String dlqName, String dlqUrl) {
      Queues.Depth before = queues.depth(dlqUrl);
      long parked = before.visible() + before.delayed();
      if (parked == 0) {
        return new Redriven(dlqName, target.eventBusName(), "put-events", 0, 0, "EMPTY", null,
            before.inFlight(), List.of());
      }
      try (EventBridgeClient events = target.eventBridge()) {
        RuleDlqRedrive.Outcome outcome = new RuleDlqRedrive(sqs, events, target.eventBusName())
            .redrive(dlqName, dlqUrl, parked, Instant.now().plusSeconds(waitSeconds),
                Progress.of(output.notes(spec), "re-published", parked));
        Queues.Depth after = queues.depth(dlqUrl);
        return new Redriven(dlqName, target.eventBusName(), "put-events", parked, outcome.published(),
            outcome.refused().isEmpty() ? "COMPLETED" : "PARTIAL", null,
            after.visible() + after.inFlight() + after.delayed(), outcome.refused());
      }
    }

    private void report(Redriven r) {
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        output.printJson(out, r);
        return;
      }
      if ("EMPTY".equals(r.status())) {
        out.printf(r.method().equals("put-events") ? "%s holds no visible message: nothing to redrive%n"
            : "%s is empty: nothing to redrive%n", r.dlq());
        return;
      }
      if (r.method().equals("stream-records")) {
        // StreamDlqRedrive printed each description and the summary as it went.
        out.printf("%s now holds %d message(s); follow an order with: fanout timeline <correlation id>%n", r.dlq(), r.remaining());
        return;
      }
      r.failures().forEach(f -> out.printf("  %s: %s%n", f.id(), f.reason()));
      if (r.method().equals("put-events")) {
        out.printf("re-published %d parked event(s) from %s to %s%s%n", r.moved(), r.dlq(), r.destination(),
            r.failures().isEmpty() ? "" : "; " + r.failures().size() + " refused, still parked");
        out.printf("%s now holds %d message(s); follow an order with: fanout timeline <correlation id>%n", r.dlq(), r.remaining());
        return;
      }
      out.printf("move task %s: %d message(s) moved%n", r.status(), r.moved());
      if ("COMPLETED".equals(r.status())) {
        out.printf("%s now holds %d message(s); watch the consumer with: fanout queues --service %s%n",
            r.dlq(), r.remaining(), serviceOf(consumerName(name)));
      }
    }

    private boolean isStreamTrigger(String qualifiedName) {
      return target.catalog().services().stream()
          .anyMatch(m -> m.streams().stream().anyMatch(st -> qualifiedName.equals(m.service() + "-" + st.name())));
    }

    private Redriven redriveStreamDlq(SqsClient sqs, Queues queues, String dlqName, String dlqUrl) {
      Queues.Depth before = queues.depth(dlqUrl);
      long parked = before.visible() + before.delayed();
      if (parked == 0) {
        return new Redriven(dlqName, consumerName(name), "stream-records", 0, 0, "EMPTY", null, before.inFlight(), List.of());
      }
      try (var streams = target.dynamoDbStreams(); var lambda = target.lambda()) {
        StreamDlqRedrive.Result result = new StreamDlqRedrive(sqs, streams, lambda, output.notes(spec))
            .redrive(dlqName, dlqUrl, parked, Instant.now().plusSeconds(waitSeconds));
        Queues.Depth after = queues.depth(dlqUrl);
        return new Redriven(dlqName, target.physical(consumerName(name)), "stream-records", parked, result.redriven(),
            result.left() == 0 ? "COMPLETED" : "PARTIAL", null, after.visible() + after.inFlight() + after.delayed(),
            result.failures());
      }
    }

    /** Queue URLs differ in host spelling (localhost, 127.0.0.1, the regional host); the path names the queue. */
    static boolean sameQueue(String a, String b) {
      return tail(a).equals(tail(b));
    }

    private static String tail(String url) {
      String path = url.replaceAll("/+$", "");
      return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String serviceOf(String consumer) {
      int dash = consumer.indexOf('-');
      return dash < 0 ? consumer : consumer.substring(0, dash);
    }
  }

  /** {@code dlq delete -o json}: the ids deleted, and those not found with why. */
  record Deleted(String dlq, List<String> deleted, List<Output.Failure> failures) {}

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = {"Delete given messages (ids from `fanout dlq inspect`) from the DLQ.", "",
          "For poison messages whose event id and correlation id are recorded in the incident."})
  static final class Delete implements Callable<Integer> {
    @Mixin
    Target target;

    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "<service>-<consumer>")
    String name;

    @Option(names = "--message-id", required = true, split = ",", description = "SQS message id(s) as `inspect` prints them")
    List<String> messageIds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      String dlqName = target.physical(consumerName(name) + "-dlq");
      List<String> deleted = new ArrayList<>();
      java.util.Set<String> wanted = new java.util.LinkedHashSet<>(messageIds);
      try (SqsClient sqs = target.sqs()) {
        String url = new Queues(sqs).requireUrl(dlqName);
        // Received with a short visibility timeout: a message we do not delete is visible again within seconds.
        for (int round = 0; round < 10 && !wanted.isEmpty(); round++) {
          List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(2)
              .waitTimeSeconds(0)).messages();
          if (batch.isEmpty()) {
            break;
          }
          for (Message m : batch) {
            if (wanted.remove(m.messageId())) {
              sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
              deleted.add(m.messageId());
            } else {
              sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
            }
          }
        }
      }
      List<Output.Failure> failures = wanted.stream()
          .map(id -> new Output.Failure(id, "not found in " + dlqName + " (already deleted or redriven?)")).toList();
      if (output.json()) {
        output.printJson(out, new Deleted(dlqName, deleted, failures));
      } else {
        deleted.forEach(id -> out.printf("deleted %s from %s%n", id, dlqName));
      }
      if (!failures.isEmpty()) {
        throw new OpsException(Fanout.FAILED, "not found in " + dlqName + " (already deleted or redriven?): "
            + String.join(", ", wanted));
      }
      return 0;
    }
  }

  /** {@code dlq purge -o json}: the DLQ and how many messages it held when purged. */
  record Purged(String dlq, long purged) {}

  @Command(name = "purge", mixinStandardHelpOptions = true,
      description = {"Delete every message of the DLQ (PurgeQueue); needs --yes.", "",
          "E.g. a rule DLQ once the archive replay re-delivered its events. Inspect first."})
  static final class Purge implements Callable<Integer> {
    @Mixin
    Target target;

    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "<service>-<consumer>")
    String name;

    @Option(names = "--yes", description = "really delete them")
    boolean yes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      String dlqName = target.physical(consumerName(name) + "-dlq");
      try (SqsClient sqs = target.sqs()) {
        Queues queues = new Queues(sqs);
        String url = queues.requireUrl(dlqName);
        Queues.Depth d = queues.depth(url);
        long total = d.visible() + d.inFlight() + d.delayed();
        if (!yes) {
          throw new OpsException(Fanout.REFUSED, dlqName + " holds " + total + " message(s); add --yes to delete them all");
        }
        sqs.purgeQueue(b -> b.queueUrl(url));
        if (output.json()) {
          output.printJson(out, new Purged(dlqName, total));
        } else {
          out.printf("purged %s (%d message(s))%n", dlqName, total);
        }
      }
      return 0;
    }
  }

  private static String nz(String value) {
    return value == null ? "-" : value;
  }
}
