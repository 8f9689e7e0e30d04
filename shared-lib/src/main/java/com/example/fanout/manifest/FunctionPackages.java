package com.example.fanout.manifest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which deployment zip each function of a service runs from (ADR 0107). A service builds
 * {@code <service>-function.zip} with every SDK client its pom declares; when only some of its
 * functions call S3, it also builds {@code <service>-function-without-s3.zip}, the same zip without
 * the S3 client's jars, and the functions that never call S3 run from that one. Terraform's service
 * module (locals {@code s3_callers} and {@code package_paths}) applies the same rule; the benchmarks'
 * {@code FunctionZipContentsTest} checks it against the applied state.
 *
 * @param zipOf the zip's file name (in the service's {@code target/}) by function name, in manifest order
 */
public record FunctionPackages(String service, Map<String, String> zipOf) {
  public FunctionPackages {
    zipOf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(zipOf));
  }

  public static String fullZip(String service) {
    return service + "-function.zip";
  }

  public static String zipWithoutS3(String service) {
    return service + "-function-without-s3.zip";
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
    boolean split = !s3Callers.isEmpty() && s3Callers.size() < functions.size();
    Map<String, String> zipOf = new LinkedHashMap<>();
    functions.keySet().forEach(name ->
        zipOf.put(name, split && !s3Callers.contains(name) ? zipWithoutS3(m.service()) : fullZip(m.service())));
    return new FunctionPackages(m.service(), zipOf);
  }

  /**
   * Whether a function calls S3: it handles a bucket's objects, its role grants it actions on one
   * of the service's buckets, or it puts or reads claim checks ({@link Catalog#usesClaimChecks}).
   */
  public static boolean callsS3(Catalog catalog, ServiceManifest m, String function, ServiceManifest.FunctionSpec spec) {
    return m.buckets().stream().anyMatch(b -> b.name().equals(function) && b.handler() != null)
        || !spec.access().buckets().isEmpty()
        || catalog.usesClaimChecks(m, function, spec);
  }

  /** Whether the service builds {@link #zipWithoutS3}: some of its functions call S3 and some do not. */
  public boolean buildsZipWithoutS3() {
    return zipOf.containsValue(zipWithoutS3(service));
  }

  /** The functions that run from {@code zip}, in manifest order. */
  public Set<String> functionsIn(String zip) {
    Set<String> out = new java.util.LinkedHashSet<>();
    zipOf.forEach((function, z) -> {
      if (z.equals(zip)) {
        out.add(function);
      }
    });
    return out;
  }

  /** The zips the service's functions run from: the full one first. */
  public java.util.List<String> zips() {
    return java.util.stream.Stream.of(fullZip(service), zipWithoutS3(service)).filter(zipOf::containsValue).toList();
  }
}
