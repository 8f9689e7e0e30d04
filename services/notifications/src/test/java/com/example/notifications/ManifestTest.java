package com.example.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.manifest.ManifestLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ManifestTest {
  @Test
  void manifest_shouldNameOnlyExistingHandlers_whenLoaded() {
    assertThat(ManifestLoader.missingHandlers(ManifestLoader.load(Path.of("service.yaml")), "service.yaml",
        getClass().getClassLoader())).isEmpty();
  }
}
