package com.example.fanout.local.iam;

import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.Ports;
import java.nio.file.Path;
import java.util.UUID;

/** A platform of a few test services under {@code --iam enforce}, with roles from a Terraform JSON fixture. */
final class EnforcedPlatforms {
  private EnforcedPlatforms() {}

  /** Built, not started; on free ports, a fresh data directory and a clock 600 times faster. */
  static LocalPlatform build(Path services, String env, String fixture) {
    return LocalPlatform.builder()
        .servicesDir(services)
        .env(env)
        .ports(Ports.FREE)
        .dataDir(Path.of("target/local-data-" + UUID.randomUUID()))
        .clockSpeed(600)
        .exportSdkProperties(false)
        .iam(IamSettings.of(IamMode.ENFORCE, Path.of("src/test/resources/iam").resolve(fixture)))
        .build();
  }
}
