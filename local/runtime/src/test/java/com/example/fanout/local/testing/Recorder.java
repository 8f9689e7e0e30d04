package com.example.fanout.local.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test handlers received, by function ({@code <service>-<function>}). */
public final class Recorder {
  private static final Map<String, List<Object>> BY_FUNCTION = new ConcurrentHashMap<>();

  private Recorder() {}

  static void record(String function, Object item) {
    BY_FUNCTION.computeIfAbsent(function, k -> new CopyOnWriteArrayList<>()).add(item);
  }

  @SuppressWarnings("unchecked")
  public static <T> List<T> received(String function, Class<T> type) {
    return (List<T>) (List<?>) BY_FUNCTION.getOrDefault(function, List.of()).stream().filter(type::isInstance).toList();
  }
}
