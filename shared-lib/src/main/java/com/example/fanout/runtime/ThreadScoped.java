package com.example.fanout.runtime;

import java.util.function.Supplier;

/** A thread-local value set for the length of one call, then put back as it was. */
public final class ThreadScoped {
  private ThreadScoped() {}

  /** Runs {@code body} with {@code local} holding {@code value} on this thread; returns what it returns. */
  public static <V, T> T with(ThreadLocal<V> local, V value, Supplier<T> body) {
    V previous = local.get();
    local.set(value);
    try {
      return body.get();
    } finally {
      if (previous == null) {
        local.remove();
      } else {
        local.set(previous);
      }
    }
  }
}
