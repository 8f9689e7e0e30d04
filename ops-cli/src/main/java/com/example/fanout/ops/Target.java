package com.example.fanout.ops;

import com.example.fanout.manifest.Catalog;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where a command points: the environment prefix, the manifests, and whether a local runtime's
 * control endpoint is there. Shared by every subcommand as a picocli mixin.
 *
 * <p>Environment: {@code FANOUT_ENV} (else {@code ENV}, else {@code dev}), {@code FANOUT_SERVICES_DIR}
 * (else {@code services}), {@code FANOUT_LOCAL_CONTROL_URL} (set: local runtime). The AWS clients
 * read region, credentials and {@code AWS_ENDPOINT_URL[_<SERVICE>]} the SDK's usual way.
 */
public final class Target {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

  @Option(names = "--env", description = "environment prefix of every resource (default: $FANOUT_ENV, else $ENV, else dev)")
  String env;

  @Option(names = "--services", description = "directory of the service manifests (default: $FANOUT_SERVICES_DIR, else ./services)")
  Path servicesDir;

  private Map<String, String> environment = System.getenv();
  private Catalog catalog;

  public String env() {
    return first(env, environment.get("FANOUT_ENV"), environment.get("ENV")).orElse("dev");
  }

  public Path servicesDir() {
    Path dir = servicesDir != null ? servicesDir
        : Path.of(first(environment.get("FANOUT_SERVICES_DIR")).orElse("services"));
    if (!Files.isDirectory(dir)) {
      throw new OpsException(Fanout.REFUSED, "no manifests in " + dir.toAbsolutePath()
          + ": run from the repository root or set FANOUT_SERVICES_DIR / --services");
    }
    return dir;
  }

  public Catalog catalog() {
    if (catalog == null) {
      catalog = Catalog.load(servicesDir());
    }
    return catalog;
  }

  /** The local runtime's control endpoint, if {@code FANOUT_LOCAL_CONTROL_URL} is set. */
  public Optional<URI> localControl() {
    return first(environment.get("FANOUT_LOCAL_CONTROL_URL")).map(u -> URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u));
  }

  /** {@code <env>-<name>}, the physical name of a queue, table, function or alarm. */
  public String physical(String name) {
    return env() + "-" + name;
  }

  public String eventBusName() {
    return physical("fanout");
  }

  public SqsClient sqs() {
    return SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(timeouts()).build();
  }

  public EventBridgeClient eventBridge() {
    return EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(timeouts()).build();
  }

  private static ClientOverrideConfiguration timeouts() {
    return ClientOverrideConfiguration.builder().apiCallTimeout(CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT).build();
  }

  private static Optional<String> first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
