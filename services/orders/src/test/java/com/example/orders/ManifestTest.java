package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.manifest.ManifestLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ManifestTest {

  @Test
  void manifest_shouldNameOnlyExistingHandlers_whenLoadedWithTheServiceClasses() {
    var manifest = ManifestLoader.load(Path.of("service.yaml"));

    assertThat(ManifestLoader.missingHandlers(manifest, "services/orders/service.yaml", getClass().getClassLoader())).isEmpty();
  }
}
