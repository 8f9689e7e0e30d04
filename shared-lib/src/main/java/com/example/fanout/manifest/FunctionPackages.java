package com.example.fanout.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which deployment zip each function of a service runs from (ADR 0107): every runtime jar of the
 * service but those of the optional SDK clients the function never calls.
 * <ul>
 *   <li>EventBridge and SQS are left out of a function that neither consumes a queue nor publishes
 *       (an HTTP API that writes an outbox, a bulk import, a report);
 *   <li>S3 is left out of a function that does not call it, where other functions of the service
 *       do (without such a function the service's POM does not declare S3 at all).
 * </ul>
 * The zip is {@code <service>-function.zip}, or {@code <service>-function-without-<clients>.zip}
 * naming the clients it leaves out in alphabetical order ({@code orders-function-without-s3.zip}).
 * The build writes exactly these zips ({@code testing.FunctionZips}); Terraform's service module
 * (locals {@code s3_callers} and {@code package_paths}) applies the same rule, and the benchmarks'
 * {@code FunctionZipContentsTest} checks it against the applied state.
 *
 * @param leftOut the optional clients each function's zip leaves out, by function name, in manifest order
 */
public record FunctionPackages(String service, Map<String, SortedSet<String>> leftOut) {
  /** The jars each optional SDK client brings into a zip that no other part of a function needs, by client. */
  public static final Map<String, List<String>> CLIENT_JARS = Map.of(
      "eventbridge", List.of("eventbridge"),
      "s3", List.of("s3", "arns", "crt-core", "aws-xml-protocol", "aws-query-protocol"),
      "sqs", List.of("sqs"));

  public FunctionPackages {
    Map<String, SortedSet<String>> copy = new LinkedHashMap<>();
    leftOut.forEach((function, clients) -> copy.put(function, Collections.unmodifiableSortedSet(new TreeSet<>(clients))));
    leftOut = Collections.unmodifiableMap(copy);
  }

  /** The name of the service's zip that leaves out {@code clients}. */
  public static String zipName(String service, Set<String> clients) {
    return service + "-function" + (clients.isEmpty() ? "" : "-without-" + String.join("-", new TreeSet<>(clients))) + ".zip";
  }

  /** The packages of {@code m}'s functions; {@code catalog} says which event types travel as claim checks. */
  public static FunctionPackages of(Catalog catalog, ServiceManifest m) {
    Map<String, ServiceManifest.Function> functions = m.functions();
    Set<String> s3Callers = new TreeSet<>();
    functions.forEach((name, f) -> {
      if (callsS3(catalog, m, name, f.spec())) {
        s3Callers.add(name);
      }
    });
    Map<String, SortedSet<String>> leftOut = new LinkedHashMap<>();
    functions.forEach((name, f) -> {
      SortedSet<String> clients = new TreeSet<>();
      if (m.consumer(name).isEmpty() && f.spec().access().publishes().isEmpty()) {
        clients.addAll(List.of("eventbridge", "sqs"));
      }
      if (!s3Callers.isEmpty() && !s3Callers.contains(name)) {
        clients.add("s3");
      }
      leftOut.put(name, clients);
    });
    return new FunctionPackages(m.service(), leftOut);
  }

  /**
   * Whether a function calls S3: it handles a bucket's objects, its role grants it actions on one
   * of the service's buckets, or it puts or reads claim checks ({@link Catalog#usesClaimChecks}).
   */
  public static boolean callsS3(Catalog catalog, ServiceManifest m, String function, ServiceManifest.FunctionSpec spec) {
    return m.handlesBucket(function)
        || !spec.access().buckets().isEmpty()
        || catalog.usesClaimChecks(m, function, spec);
  }

  /** The zip's file name (in the service's {@code target/}) by function name, in manifest order. */
  public Map<String, String> zipOf() {
    Map<String, String> out = new LinkedHashMap<>();
    leftOut.forEach((function, clients) -> out.put(function, zipName(service, clients)));
    return out;
  }

  /** The functions that run from {@code zip}, in manifest order. */
  public Set<String> functionsIn(String zip) {
    Set<String> out = new LinkedHashSet<>();
    zipOf().forEach((function, z) -> {
      if (z.equals(zip)) {
        out.add(function);
      }
    });
    return out;
  }

  /** The optional clients {@code zip} leaves out. */
  public SortedSet<String> leftOutOf(String zip) {
    return leftOut.entrySet().stream().filter(e -> zipName(service, e.getValue()).equals(zip)).map(Map.Entry::getValue)
        .findFirst().orElseThrow(() -> new IllegalArgumentException("no function of " + service + " runs from " + zip));
  }

  /** The zips the service's functions run from, each once: those that leave out fewer clients first. */
  public List<String> zips() {
    return leftOut.values().stream().distinct()
        .sorted(java.util.Comparator.<SortedSet<String>>comparingInt(Set::size).thenComparing(String::valueOf))
        .map(clients -> zipName(service, clients)).toList();
  }
}
