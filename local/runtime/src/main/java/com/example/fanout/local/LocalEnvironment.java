package com.example.fanout.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Environment variables the local runtime adds to functions on top of what Terraform would set
 * (the manifests stay cloud-only): e.g. {@code NOTIFICATION_SENDER}, {@code FANOUT_TRACER=local}.
 * Keyed by scope: {@code "*"} (every function), a service ({@code notifications}) or one function
 * ({@code reporting-saga-watchdog}); a narrower scope wins, and every scope wins over the manifest's
 * {@code function.environment}.
 *
 * <pre>
 * "*":
 *   FANOUT_TRACER: local
 * notifications:
 *   NOTIFICATION_SENDER: ses
 * </pre>
 */
public final class LocalEnvironment {
  public static final String EVERY_FUNCTION = "*";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, Map<String, String>> byScope;

  private LocalEnvironment(Map<String, Map<String, String>> byScope) {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    byScope.forEach((scope, vars) -> copy.put(scope, Map.copyOf(vars)));
    this.byScope = Map.copyOf(copy);
  }

  public static LocalEnvironment none() {
    return new LocalEnvironment(Map.of());
  }

  public static LocalEnvironment of(Map<String, Map<String, String>> byScope) {
    return new LocalEnvironment(byScope);
  }

  /** Reads the YAML form above from a file. */
  public static LocalEnvironment load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Reads the YAML form above from a class-path resource. */
  public static LocalEnvironment fromClasspath(String resource, ClassLoader loader) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no class-path resource " + resource);
      }
      return read(in, resource);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static LocalEnvironment read(InputStream in, String name) throws IOException {
    Map<String, Map<String, Object>> raw = YAML.readValue(in, new TypeReference<LinkedHashMap<String, Map<String, Object>>>() { });
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    if (raw != null) {
      raw.forEach((scope, vars) -> {
        Map<String, String> strings = new LinkedHashMap<>();
        if (vars != null) {
          vars.forEach((k, v) -> {
            if (v == null || v instanceof Map || v instanceof Iterable) {
              throw new IllegalArgumentException(name + ": " + scope + "." + k + " must be a scalar");
            }
            strings.put(k, v.toString());
          });
        }
        out.put(scope, strings);
      });
    }
    return new LocalEnvironment(out);
  }

  /** A copy with {@code name=value} set in {@code scope} (tests override one variable this way). */
  public LocalEnvironment with(String scope, String name, String value) {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>(byScope);
    Map<String, String> vars = new LinkedHashMap<>(copy.getOrDefault(scope, Map.of()));
    vars.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
    copy.put(scope, vars);
    return new LocalEnvironment(copy);
  }

  /** What function {@code function} of {@code service} gets: every scope, then the service, then the function. */
  public Map<String, String> forFunction(String service, String function) {
    Map<String, String> out = new LinkedHashMap<>(byScope.getOrDefault(EVERY_FUNCTION, Map.of()));
    out.putAll(byScope.getOrDefault(service, Map.of()));
    out.putAll(byScope.getOrDefault(service + "-" + function, Map.of()));
    return out;
  }

  public Map<String, Map<String, String>> scopes() {
    return byScope;
  }
}
