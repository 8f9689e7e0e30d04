package com.example.fanout.local.testing;

import com.example.fanout.local.AwsClients;
import com.example.fanout.local.servers.ElasticMq;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An embedded ElasticMQ on a free port, and the runtime's SDK client to it, for one test class:
 * {@code @RegisterExtension static final EmbeddedSqs SQS = new EmbeddedSqs();}.
 */
public final class EmbeddedSqs implements BeforeAllCallback, AfterAllCallback {
  private ElasticMq server;
  private SqsClient client;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = ElasticMq.start(0);
    client = AwsClients.sqs(server.endpoint());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    client.close();
    server.close();
  }

  public SqsClient client() {
    return client;
  }
}
