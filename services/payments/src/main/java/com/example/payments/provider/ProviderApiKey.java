package com.example.payments.provider;

import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.AwsClients;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.lambda.powertools.parameters.BaseProvider;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;
import software.amazon.lambda.powertools.parameters.ssm.SSMProvider;

/**
 * The provider's API key, read through Powertools parameters from Secrets Manager (default) or SSM
 * Parameter Store (SecureString, decrypted) and cached for {@link #MAX_AGE_MINUTES} minutes, so a
 * rotation is picked up without a redeploy. The secret is either the key itself or JSON with an
 * {@code apiKey} field. The value never reaches a log line or an exception message.
 */
public final class ProviderApiKey implements Supplier<String> {
  static final int MAX_AGE_MINUTES = 5;

  private final BaseProvider parameters;
  private final String name;

  public ProviderApiKey(BaseProvider parameters, String name) {
    this.parameters = Objects.requireNonNull(parameters, "parameters");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** Secrets Manager. */
  public static ProviderApiKey fromSecretsManager(String secretName) {
    SecretsManagerClient client = AwsClients.fromEnvironment().build(SecretsManagerClient.builder());
    return new ProviderApiKey(SecretsProvider.builder().withClient(client).build(), secretName);
  }

  /**
   * SSM Parameter Store, SecureString. Its client is left out of the zip unless the build opts in
   * (services/payments/README.md, "Reading the key from SSM"); without it this fails here, at init,
   * with what to do.
   */
  public static ProviderApiKey fromSsm(String parameterName) {
    AwsClients.requirePackaged(ProviderApiKey.class, "PAYMENT_PROVIDER_SECRET_STORE=ssm, but this zip was built without the"
        + " SSM client: give ssm and powertools-parameters-ssm the compile scope in services/payments/pom.xml and grant"
        + " ssm:GetParameter on " + parameterName + " in the manifest (services/payments/README.md, \"Reading the key from SSM\")",
        SSM_CLASSES.toArray(String[]::new));
    return new ProviderApiKey(SsmStore.decrypting(), parameterName);
  }

  static final List<String> SSM_CLASSES = List.of(
      "software.amazon.awssdk.services.ssm.SsmClient", "software.amazon.lambda.powertools.parameters.ssm.SSMProvider");

  /** Apart, so that no SSM class is loaded, nor needed to verify {@link ProviderApiKey}, unless this store is chosen. */
  private static final class SsmStore {
    static BaseProvider decrypting() {
      SsmClient client = AwsClients.fromEnvironment().build(SsmClient.builder());
      return SSMProvider.builder().withClient(client).build().withDecryption();
    }
  }

  @Override
  public String get() {
    // Powertools applies withMaxAge to the next get only, so it is set on every call; the value is
    // served from Powertools' cache until it is older than that.
    String value = parameters.withMaxAge(MAX_AGE_MINUTES, ChronoUnit.MINUTES).get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("the payment provider secret " + name + " is empty");
    }
    String trimmed = value.trim();
    if (trimmed.startsWith("{")) {
      JsonNode json = EventJson.parse(trimmed);
      JsonNode key = json.get("apiKey");
      if (key == null || !key.isTextual() || key.textValue().isBlank()) {
        throw new IllegalStateException("the payment provider secret " + name + " is JSON without an apiKey field");
      }
      return key.textValue();
    }
    return trimmed;
  }

  @Override
  public String toString() {
    return "ProviderApiKey[" + name + "]";
  }
}
