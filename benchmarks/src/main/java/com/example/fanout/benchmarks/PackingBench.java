package com.example.fanout.benchmarks;

import com.example.fanout.event.Envelope;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.publish.PublishResult;
import com.example.fanout.schema.EventSchemas;
import com.example.fanout.testing.FakeEventBridge;
import com.example.fanout.testing.Messages;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Publisher packing: a burst of 1,000 OrderPlaced events of mixed sizes (1 to 100 order lines,
 * about 0.4 to 6 KiB) in one {@code publish} call against a fake EventBridge. The figure is the
 * mean number of entries per PutEvents call divided by 10 (the API's maximum, the baseline); the
 * size limit never binds at these sizes, so anything under 1.0 is packing left undone.
 */
public final class PackingBench {
  public record Result(int events, int calls, double entriesPerCall, double ratioToTen, long published) {}

  private PackingBench() {}

  public static Result run(int events, long seed) {
    Random random = new Random(seed);
    List<Envelope> burst = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      int lines = 1 + random.nextInt(100);
      burst.add(Messages.orderPlaced(String.format("ord_%020d", i), data -> {
        ArrayNode items = data.putArray("items");
        for (int l = 0; l < lines; l++) {
          items.addObject().put("sku", "SKU-" + l).put("quantity", 1).put("unitPriceCents", 100 + l);
        }
      }));
    }
    try (FakeEventBridge bus = new FakeEventBridge()) {
      EventPublisher publisher = EventPublisher.builder().client(bus.client()).eventBusName("bench-fanout")
          .schemas(new EventSchemas(Catalog.fromClasspath())).build();
      PublishResult result = publisher.publish(burst);
      int calls = bus.calls().size();
      double perCall = (double) bus.calls().stream().mapToInt(List::size).sum() / calls;
      return new Result(events, calls, perCall, perCall / 10, result.publishedIds().size());
    }
  }
}
