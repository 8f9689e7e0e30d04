package com.example.fanout.local.servers;

import java.net.URI;
import java.time.Duration;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import scala.concurrent.Await;

/**
 * ElasticMQ, embedded: a real SQS endpoint (JSON and query protocols) on a free localhost port.
 * Owns its actor system so that stopping (or a failed bind) leaves no thread behind.
 */
public final class ElasticMq implements AutoCloseable {
  private final ActorSystem actorSystem;
  private final SQSRestServer server;
  private final URI endpoint;

  private ElasticMq(ActorSystem actorSystem, SQSRestServer server, int port) {
    this.actorSystem = actorSystem;
    this.server = server;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
  }

  /**
   * Starts on {@code port} (0 picks a free one) and returns once it accepts requests. No server
   * address is set: ElasticMQ then builds QueueUrls from the port it bound, so an SDK that follows
   * the QueueUrl (the JavaScript SDK v3 does by default) reaches this server even on a free port.
   */
  public static ElasticMq start(int port) {
    ActorSystem system = ActorSystem.create("elasticmq");
    try {
      SQSRestServer server = SQSRestServerBuilder.withActorSystem(system)
          .withInterface("127.0.0.1")
          .withPort(port)
          .start();
      int bound = server.waitUntilStarted().localAddress().getPort();
      return new ElasticMq(system, server, bound);
    } catch (RuntimeException e) {
      terminate(system);
      throw new IllegalStateException("ElasticMQ could not start on port " + port + ": " + e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Queue URLs use this host and port, so clients can follow them. */
  public String queueUrl(String queueName) {
    return endpoint + "/000000000000/" + queueName;
  }

  @Override
  public void close() {
    try {
      server.stopAndWait();
    } finally {
      terminate(actorSystem);
    }
  }

  private static void terminate(ActorSystem system) {
    try {
      Await.result(system.terminate(), scala.concurrent.duration.Duration.fromNanos(Duration.ofSeconds(10).toNanos()));
    } catch (Exception e) {
      throw new IllegalStateException("ElasticMQ actor system did not stop", e);
    }
  }
}
