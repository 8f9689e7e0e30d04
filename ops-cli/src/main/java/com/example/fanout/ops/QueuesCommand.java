package com.example.fanout.ops;

import com.example.fanout.contract.ResourceNames;
import com.example.fanout.manifest.Catalog.Subscriber;
import com.example.fanout.manifest.ServiceManifest;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every consumer queue and DLQ of the catalog, each publisher's rule DLQ and the on-failure DLQs of
 * stream relays, schedules and bucket triggers, with their depths.
 */
@Command(name = "queues", mixinStandardHelpOptions = true,
    description = {"Consumer queues, their DLQs, the rule DLQs and the on-failure DLQs of stream relays, schedules and",
        "bucket triggers: visible, in flight, DLQ depth and age.", "",
        "The age of a consumer queue's oldest message is a CloudWatch metric (ApproximateAgeOfOldestMessage),",
        "see runbooks/QueueMessageAgeHigh.md; a DLQ's is read by peeking (visibility timeout 0)."})
final class QueuesCommand implements Callable<Integer> {
  private static final String FORMAT = "%-44s %8s %9s %6s %10s%n";

  @Mixin
  Target target;

  @Mixin
  Output output;

  /** One line of the table; null where a count does not apply (a rule DLQ has no queue) or the queue is missing. */
  record Row(String queue, String dlq, boolean missing, Long visible, Long inFlight, Long dlqMessages, String dlqOldest) {}

  @Option(names = "--service", description = "only the queues of this service (consumers it owns, its rule DLQ)")
  String service;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<String[]> rows = new ArrayList<>();
    for (Subscriber s : target.catalog().subscribers()) {
      if (service == null || service.equals(s.service().service())) {
        String svc = s.service().service();
        String consumer = s.consumer().name();
        rows.add(new String[] {ResourceNames.queue(target.env(), svc, consumer), ResourceNames.dlq(target.env(), svc, consumer)});
      }
    }
    for (ServiceManifest m : target.catalog().services()) {
      if (service != null && !service.equals(m.service())) {
        continue;
      }
      if (!m.publishes().isEmpty()) {
        rows.add(new String[] {null, ResourceNames.ruleDlq(target.env(), m.service())});
      }
      // The on-failure DLQs of the triggers that have no queue of their own: they hold failure records.
      List<String> triggers = new ArrayList<>();
      m.streams().forEach(t -> triggers.add(t.name()));
      m.schedules().forEach(t -> triggers.add(t.name()));
      m.buckets().stream().filter(b -> b.handler() != null).forEach(t -> triggers.add(t.name())); // a plain bucket triggers nothing
      triggers.forEach(t -> rows.add(new String[] {null, ResourceNames.dlq(target.env(), m.service(), t)}));
    }
    if (rows.isEmpty()) {
      throw new OpsException(Fanout.REFUSED, "no consumer or publisher named " + service + " in " + target.servicesDir());
    }
    int missing = 0;
    Instant now = Instant.now();
    List<Row> result = new ArrayList<>();
    if (!output.json()) {
      out.printf(FORMAT, "queue", "visible", "in-flight", "dlq", "dlq-oldest");
    }
    try (SqsClient sqs = target.sqs()) {
      Queues queues = new Queues(sqs);
      for (String[] row : rows) {
        String name = row[0] != null ? row[0] : row[1];
        var queueUrl = row[0] == null ? java.util.Optional.<String>empty() : queues.url(row[0]);
        var dlqUrl = queues.url(row[1]);
        if ((row[0] != null && queueUrl.isEmpty()) || dlqUrl.isEmpty()) {
          result.add(new Row(row[0], row[1], true, null, null, null, null));
          if (!output.json()) {
            out.printf(FORMAT, name, "missing", "", "", "");
          }
          missing++;
          continue;
        }
        Long visibleCount = null;
        Long inFlightCount = null;
        if (queueUrl.isPresent()) {
          Queues.Depth d = queues.depth(queueUrl.get());
          visibleCount = d.visible() + d.delayed();
          inFlightCount = d.inFlight();
        }
        String visible = visibleCount == null ? "-" : Long.toString(visibleCount);
        String inFlight = inFlightCount == null ? "-" : Long.toString(inFlightCount);
        Queues.Depth dlq = queues.depth(dlqUrl.get());
        long dlqCount = dlq.visible() + dlq.inFlight() + dlq.delayed();
        String age = dlqCount == 0 ? "-"
            : Queues.oldest(queues.peek(dlqUrl.get(), 10), now).map(Queues::human).orElse("?");
        result.add(new Row(row[0], row[1], false, visibleCount, inFlightCount, dlqCount, dlqCount == 0 ? null : age));
        if (!output.json()) {
          out.printf(FORMAT, name, visible, inFlight, dlqCount, age);
        }
      }
    }
    if (output.json()) {
      output.printJson(out, result);
    }
    if (missing > 0) {
      spec.commandLine().getErr().println("fanout: " + missing + " queue(s) missing in environment '" + target.env()
          + "' (not deployed, or the wrong --env)");
      return Fanout.FAILED;
    }
    return 0;
  }
}
