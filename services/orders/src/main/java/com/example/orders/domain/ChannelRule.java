package com.example.orders.domain;

import java.util.Set;

/**
 * Where an order comes from decides its {@code channel}: API callers may say {@code web}, {@code
 * mobile} or {@code api} (default {@code api}); every imported line is {@code import}, whatever it says.
 */
public enum ChannelRule {
  API("api", Set.of("web", "mobile", "api")),
  IMPORT("import", Set.of());

  private final String defaultChannel;
  private final Set<String> allowed;

  ChannelRule(String defaultChannel, Set<String> allowed) {
    this.defaultChannel = defaultChannel;
    this.allowed = allowed;
  }

  public String defaultChannel() {
    return defaultChannel;
  }

  /** True when the caller may choose a channel at all. */
  public boolean callerChooses() {
    return !allowed.isEmpty();
  }

  public Set<String> allowed() {
    return allowed;
  }
}
