package com.example.fanout.consumer;

import com.example.fanout.manifest.ServiceManifest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A consumer's registered handlers against its manifest entry: the two must name the same event types. */
final class ConsumerRegistrations {
  private ConsumerRegistrations() {}

  static void check(ConsumerRuntime runtime, Set<String> registered) {
    String name = runtime.qualifiedName();
    List<String> declared = runtime.parts().catalog().service(runtime.service())
        .flatMap(m -> m.consumer(runtime.consumerName()))
        .map(ServiceManifest.Consumer::on)
        .orElseThrow(() -> new IllegalStateException(name + " is not a consumer in its service's manifest"
            + " (handler registers " + registered + ")"));
    Set<String> missing = new LinkedHashSet<>(declared);
    missing.removeAll(registered);
    Set<String> extra = new LinkedHashSet<>(registered);
    extra.removeAll(declared);
    if (!missing.isEmpty() || !extra.isEmpty()) {
      throw new IllegalStateException("consumer " + name + ": the manifest's on: " + declared
          + " and the handler's registrations " + registered + " differ"
          + (missing.isEmpty() ? "" : "; no handler for " + missing)
          + (extra.isEmpty() ? "" : "; handlers for types the manifest does not subscribe to: " + extra));
    }
  }
}
