package com.example.payments.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.parameters.BaseProvider;
import software.amazon.lambda.powertools.parameters.cache.CacheManager;
import software.amazon.lambda.powertools.parameters.transform.TransformationManager;

class ProviderApiKeyTest {
  /** A Powertools provider whose store is a map, counting reads. */
  static final class MapProvider extends BaseProvider {
    final Map<String, String> values;
    final AtomicInteger reads = new AtomicInteger();

    MapProvider(Map<String, String> values) {
      super(new CacheManager(), new TransformationManager());
      this.values = values;
    }

    @Override
    protected String getValue(String key) {
      reads.incrementAndGet();
      return values.get(key);
    }

    @Override
    protected Map<String, String> getMultipleValues(String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    protected Instant now() {
      return Instant.parse("2026-11-26T10:00:00Z");
    }
  }

  @Test
  void get_shouldReadTheSecretOnceAndServeItFromTheCache_whenAskedRepeatedly() {
    MapProvider store = new MapProvider(Map.of("/fanout/payments/provider", "sk_live_abc"));
    ProviderApiKey key = new ProviderApiKey(store, "/fanout/payments/provider");

    assertThat(key.get()).isEqualTo("sk_live_abc");
    assertThat(key.get()).isEqualTo("sk_live_abc");
    assertThat(store.reads).hasValue(1);
  }

  @Test
  void get_shouldTakeTheApiKeyField_whenTheSecretIsJson() {
    ProviderApiKey key = new ProviderApiKey(new MapProvider(Map.of("s", "{\"apiKey\":\"sk_json\"}")), "s");

    assertThat(key.get()).isEqualTo("sk_json");
  }

  @Test
  void toString_shouldNameTheSecretButNotItsValue_whenLogged() {
    ProviderApiKey key = new ProviderApiKey(new MapProvider(Map.of("s", "sk_hidden")), "s");
    key.get();

    assertThat(key.toString()).contains("s").doesNotContain("sk_hidden");
  }

  @Test
  void get_shouldFail_whenTheJsonHasNoApiKey() {
    assertThatThrownBy(() -> new ProviderApiKey(new MapProvider(Map.of("s", "{\"other\":1}")), "s").get())
        .isInstanceOf(IllegalStateException.class).message().doesNotContain("other");
  }
}
