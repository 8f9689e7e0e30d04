package com.example.fanout.local.iam;

import com.example.fanout.local.AwsClients;
import com.example.fanout.local.dynamodb.DynamoDbProxy;
import com.example.fanout.local.eventbridge.EventBridgeServer;
import com.example.fanout.local.s3.S3Server;
import com.example.fanout.local.secrets.SecretsServer;
import com.example.fanout.local.ses.SesServer;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.ServiceManifest;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Puts the IAM check in front of the local stand-ins (SQS through {@link SqsIamProxy}) and gives every
 * function its own credentials.
 */
public final class IamWiring implements AutoCloseable {
  private final IamEnforcer enforcer;
  private final SqsIamProxy sqs;

  private IamWiring(IamEnforcer enforcer, SqsIamProxy sqs) {
    this.enforcer = enforcer;
    this.sqs = sqs;
  }

  public IamEnforcer enforcer() {
    return enforcer;
  }

  /** Where functions reach SQS: the authorising proxy, or ElasticMQ itself when IAM is off. */
  public URI functionsSqsEndpoint(URI elasticMq) {
    return sqs == null ? elasticMq : sqs.endpoint();
  }

  @Override
  public void close() {
    if (sqs != null) {
      sqs.close();
    }
  }

  /** A function's access key id: its name, {@code <env>-<service>-<function>}, which is how the check knows the caller. */
  public static String accessKeyId(String env, ServiceManifest m, String function) {
    return env + "-" + m.service() + "-" + function;
  }

  public static IamWiring wire(IamSettings settings, Catalog catalog, String env, URI elasticMq, EventBridgeServer eventBridge,
      DynamoDbProxy dynamoDb, S3Server s3, SesServer ses, SecretsServer secrets, boolean defaultClientsInThisJvm) {
    String region = AwsClients.REGION.id();
    String account = AwsClients.ACCOUNT;
    IamEnforcer enforcer = settings.enforcer(functions(catalog, env), env, account, region);
    if (enforcer.mode() == IamMode.OFF) {
      return new IamWiring(enforcer, null);
    }
    eventBridge.addFilter(new IamFilter(enforcer, ServiceProtocol.eventBridge(region, account)));
    dynamoDb.addFilter(new IamFilter(enforcer, ServiceProtocol.dynamoDb(region, account)));
    s3.addFilter(new IamFilter(enforcer, ServiceProtocol.s3()));
    ses.addFilter(new IamFilter(enforcer, ServiceProtocol.sesV2(region, account)));
    secrets.addFilter(new IamFilter(enforcer, ServiceProtocol.secrets(secrets)));
    if (defaultClientsInThisJvm) {
      FunctionCredentials.install();
    }
    return new IamWiring(enforcer, new SqsIamProxy(elasticMq, enforcer, region, account));
  }

  static Set<String> functions(Catalog catalog, String env) {
    Set<String> out = new LinkedHashSet<>();
    for (ServiceManifest m : catalog.services()) {
      m.consumers().forEach(c -> out.add(accessKeyId(env, m, c.name())));
      m.http().forEach(h -> out.add(accessKeyId(env, m, h.name())));
      m.streams().forEach(st -> out.add(accessKeyId(env, m, st.name())));
      m.schedules().forEach(sc -> out.add(accessKeyId(env, m, sc.name())));
      m.buckets().stream().filter(b -> b.handler() != null).forEach(b -> out.add(accessKeyId(env, m, b.name())));
    }
    return out;
  }
}
