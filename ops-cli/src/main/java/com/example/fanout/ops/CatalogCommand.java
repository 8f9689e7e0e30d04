package com.example.fanout.ops;

import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.Catalog.Subscriber;
import com.example.fanout.manifest.Catalog.Subscription;
import com.example.fanout.manifest.ServiceManifest;
import com.example.fanout.manifest.ServiceManifest.Publication;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What flows where, from the manifests alone (no AWS call): every event type with its producer, schema
 * and consumers, and every consumer with the SNS filter policy its queue's subscription gets.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true,
    description = {"Events, producers, consumers, filters and schemas, from the service manifests.", "",
        "Reads only the manifests (FANOUT_SERVICES_DIR / --services); works offline."})
final class CatalogCommand implements Callable<Integer> {
  private static final String EVENT_FORMAT = "%-22s %3s  %-14s %-44s %s%n";
  private static final String CONSUMER_FORMAT = "%-36s %-30s %s%n";

  @Mixin
  Target target;

  @Mixin
  Output output;

  @Option(names = "--event", description = "only this event type and its consumers")
  String event;

  @Spec
  CommandSpec spec;

  /** One published event type. */
  record Event(String type, int version, String producer, String source, String schema, List<String> consumers) {}

  /** One consumer and the filter policy of each subscription (one per publishing service it listens to). */
  record Consumer(String consumer, List<String> on, List<Filter> filters) {}

  record Filter(String topicOf, Object filterPolicy) {}

  record View(List<Event> events, List<Consumer> consumers) {}

  @Override
  public Integer call() {
    Catalog catalog = target.catalog();
    if (event != null && catalog.publication(event).isEmpty()) {
      throw new OpsException(Fanout.REFUSED, "no service publishes " + event + " in " + target.servicesDir());
    }
    View view = view(catalog, target.servicesDir());
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, view);
      return 0;
    }
    out.printf(EVENT_FORMAT, "event", "v", "producer", "schema", "consumers");
    view.events().forEach(e -> out.printf(EVENT_FORMAT, e.type(), e.version(), e.producer(), e.schema(),
        e.consumers().isEmpty() ? "-" : String.join(", ", e.consumers())));
    out.println();
    out.printf(CONSUMER_FORMAT, "consumer", "on", "filter policy (SNS, message body)");
    for (Consumer c : view.consumers()) {
      for (Filter f : c.filters()) {
        out.printf(CONSUMER_FORMAT, c.consumer(), "from " + f.topicOf(), EventJson.write(f.filterPolicy()));
      }
    }
    out.flush();
    return 0;
  }

  private View view(Catalog catalog, Path servicesDir) {
    List<Event> events = new ArrayList<>();
    List<Consumer> consumers = new ArrayList<>();
    for (ServiceManifest m : catalog.services()) {
      for (Publication p : m.publishes()) {
        if (event != null && !event.equals(p.type())) {
          continue;
        }
        List<String> by = catalog.subscribers().stream().filter(s -> s.consumer().on().contains(p.type()))
            .map(Subscriber::qualifiedName).toList();
        String schema = catalog.schemaFile(p.type(), p.version()).map(f -> servicesDir.toAbsolutePath().normalize()
            .relativize(f.toAbsolutePath().normalize()).toString()).orElse(p.schema() + " (missing)");
        events.add(new Event(p.type(), p.version(), m.service(), m.source(), schema, by));
      }
    }
    for (Subscriber s : catalog.subscribers()) {
      if (event != null && !s.consumer().on().contains(event)) {
        continue;
      }
      List<Filter> filters = new ArrayList<>();
      for (Subscription sub : catalog.subscriptionsOf(s)) {
        filters.add(new Filter(sub.publisher().service(), sub.filterPolicy()));
      }
      consumers.add(new Consumer(s.qualifiedName(), s.consumer().on(), filters));
    }
    return new View(events, consumers);
  }
}
