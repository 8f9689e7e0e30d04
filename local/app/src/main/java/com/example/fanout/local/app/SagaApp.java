package com.example.fanout.local.app;

import com.example.fanout.local.LocalEnvironment;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.Main;
import com.example.fanout.local.servers.RepoPaths;
import com.example.fanout.runtime.KeepAliveConnections;
import com.example.inventory.dynamodb.StockSeeder;
import java.io.PrintStream;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The reference services on the local runtime: their local environment, starting stock and demo. */
public final class SagaApp implements Main.App {
  /** Class-path resource with the functions' local environment (see {@link LocalEnvironment}). */
  public static final String LOCAL_ENVIRONMENT = "local-environment.yaml";

  public static LocalEnvironment localEnvironment() {
    return LocalEnvironment.fromClasspath(LOCAL_ENVIRONMENT, SagaApp.class.getClassLoader());
  }

  @Override
  public void configure(LocalPlatform.Builder builder) {
    builder.localEnvironment(localEnvironment());
  }

  @Override
  public void started(LocalPlatform platform, PrintStream console) {
    Path file = RepoPaths.root().resolve(StockSeeder.DEFAULT_FILE);
    int created = seedStock(platform, file);
    console.println("\nseeded " + created + " skus into " + stockTable(platform) + " from " + StockSeeder.DEFAULT_FILE);
  }

  @Override
  public void demo(LocalPlatform platform, PrintStream console) throws Exception {
    new SagaDemo(platform, console).run();
  }

  /** Seeds the inventory stock table with the inventory service's own seeder; returns how many skus were new. */
  public static int seedStock(LocalPlatform platform, Path file) {
    try (DynamoDbClient dynamo = dynamoDb(platform)) {
      return new StockSeeder(dynamo, stockTable(platform)).seed(file);
    }
  }

  /** What {@code fanout} printed (stdout and stderr together) and its exit code. */
  public record FanoutRun(int code, String output) {}

  /**
   * Runs the ops CLI as on-call would against {@code platform}: its {@code AWS_ENDPOINT_URL_*}
   * environment, its {@code ENV}, the repository's manifests.
   */
  public static FanoutRun fanout(LocalPlatform platform, String... args) {
    java.util.Map<String, String> env = new java.util.HashMap<>(platform.endpoints().cliEnvironment());
    env.put("ENV", platform.env());
    env.put("FANOUT_SERVICES_DIR", RepoPaths.root().resolve("services").toString());
    java.io.StringWriter out = new java.io.StringWriter();
    int code = com.example.fanout.ops.Fanout.run(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(out, true), env);
    return new FanoutRun(code, out.toString());
  }

  public static String stockTable(LocalPlatform platform) {
    return platform.env() + "-inventory-stock";
  }

  public static DynamoDbClient dynamoDb(LocalPlatform platform) {
    return DynamoDbClient.builder().endpointOverride(platform.endpoints().dynamoDb()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(KeepAliveConnections.httpClient()).build();
  }
}
