package com.example.fanout.runtime;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The routes an HTTP API handler serves, written as the manifest writes them ({@code "GET /orders/{id}"}),
 * and the dispatch of a request to one of them: the one table the handler routes by and the manifest
 * test compares with the manifest's {@code routes} ({@link HttpApiHandler}). Matching follows API
 * Gateway: the method exactly, literal segments exactly, {@code {name}} one segment, one trailing
 * slash ignored.
 *
 * @param <H> what the handler runs for a route
 */
public final class HttpRoutes<H> {
  private final Map<String, Route<H>> routes;

  private HttpRoutes(Map<String, Route<H>> routes) {
    this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
  }

  public static <H> Builder<H> builder() {
    return new Builder<>();
  }

  /** The route keys, as a manifest lists them. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(routes.keySet()));
  }

  /** The route {@code method} and {@code path} (the raw, undecoded path) reach, with its path parameters decoded. */
  public Optional<Matched<H>> match(String method, String path) {
    if (method == null || path == null) {
      return Optional.empty();
    }
    List<String> segments = segments(path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path);
    for (Route<H> route : routes.values()) {
      if (!route.method.equals(method.toUpperCase(Locale.ROOT)) || route.segments.size() != segments.size()) {
        continue;
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      boolean matches = true;
      for (int i = 0; i < segments.size() && matches; i++) {
        String pattern = route.segments.get(i);
        String segment = segments.get(i);
        if (pattern.startsWith("{") && pattern.endsWith("}")) {
          matches = !segment.isEmpty();
          parameters.put(pattern.substring(1, pattern.length() - 1), URLDecoder.decode(segment, StandardCharsets.UTF_8));
        } else {
          matches = pattern.equals(segment);
        }
      }
      if (matches) {
        return Optional.of(new Matched<>(route.key, route.handler, Collections.unmodifiableMap(parameters)));
      }
    }
    return Optional.empty();
  }

  /** A request's route: its key, what runs for it, and its path parameters by name. */
  public record Matched<H>(String key, H handler, Map<String, String> pathParameters) {}

  private record Route<H>(String key, String method, List<String> segments, H handler) {}

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>(List.of(path.split("/", -1)));
    if (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    return out;
  }

  public static final class Builder<H> {
    private final Map<String, Route<H>> routes = new LinkedHashMap<>();

    private Builder() {}

    /** @param key {@code "METHOD /path"}, path parameters in braces, exactly as in the manifest */
    public Builder<H> route(String key, H handler) {
      Objects.requireNonNull(handler, "handler");
      String[] parts = Objects.requireNonNull(key, "key").split(" ", -1);
      if (parts.length != 2 || parts[0].isEmpty() || !parts[0].equals(parts[0].toUpperCase(Locale.ROOT)) || !parts[1].startsWith("/")) {
        throw new IllegalArgumentException("a route is \"METHOD /path\", was '" + key + "'");
      }
      if (routes.putIfAbsent(key, new Route<>(key, parts[0], segments(parts[1]), handler)) != null) {
        throw new IllegalArgumentException("route " + key + " is declared twice");
      }
      return this;
    }

    public HttpRoutes<H> build() {
      return new HttpRoutes<>(routes);
    }
  }
}
