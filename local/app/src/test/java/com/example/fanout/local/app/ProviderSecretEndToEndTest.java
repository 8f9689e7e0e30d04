package com.example.fanout.local.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.local.LocalPlatform;
import com.example.payments.provider.ProviderApiKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;
import software.amazon.lambda.powertools.parameters.ssm.SSMProvider;

/**
 * Payments' provider key, read the way {@code PAYMENT_PROVIDER=http} reads it (Powertools parameters,
 * Secrets Manager by default), from the local Secrets Manager under the roles Terraform plans:
 * {@code authorize-payment} may read its own secret, nobody else may, and the SSM store is refused
 * because no statement grants {@code ssm:GetParameter}.
 */
@ExtendWith(SagaPlatform.Lifecycle.class)
class ProviderSecretEndToEndTest {
  private static final String READER = "payments-authorize-payment";
  private static final String API_KEY = "pk_local_provider_key";
  private static String secretName;

  @BeforeAll
  static void createTheSecretAsAnOperator() {
    LocalPlatform platform = SagaPlatform.get();
    secretName = platform.functions().get(SagaPlatform.ENV + "-" + READER).environment().get("PAYMENT_PROVIDER_SECRET");
    assertThat(secretName).as("authorize-payment's PAYMENT_PROVIDER_SECRET").isNotBlank();
    try (SecretsManagerClient operator = secretsManager("operator")) {
      try {
        operator.createSecret(r -> r.name(secretName).secretString("{\"apiKey\":\"" + API_KEY + "\"}"));
      } catch (ResourceExistsException e) {
        operator.putSecretValue(r -> r.secretId(secretName).secretString("{\"apiKey\":\"" + API_KEY + "\"}"));
      }
    }
    try (SsmClient operator = ssm("operator")) {
      operator.putParameter(r -> r.name(secretName).value(API_KEY).type(ParameterType.SECURE_STRING).overwrite(true));
    }
  }

  @Test
  void authorizePayment_shouldReadItsProviderKeyThroughPowertools_whenItsPlannedRoleGrantsTheSecret() {
    try (SecretsManagerClient client = secretsManager(SagaPlatform.ENV + "-" + READER)) {
      ProviderApiKey key = new ProviderApiKey(SecretsProvider.builder().withClient(client).build(), secretName);

      assertThat(key.get()).isEqualTo(API_KEY);
    }
  }

  @Test
  void anotherFunction_shouldBeRefusedThePaymentSecret_withAccessDeniedNamingTheAction() {
    try (SecretsManagerClient client = secretsManager(SagaPlatform.ENV + "-inventory-reserve-stock")) {
      assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId(secretName)))
          .isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage())
                .contains(SagaPlatform.ENV + "-inventory-reserve-stock", "secretsmanager:GetSecretValue", secretName + "-");
          });
    }
  }

  @Test
  void authorizePayment_shouldBeRefusedTheSsmStore_becauseItsRoleGrantsOnlySecretsManager() {
    try (SsmClient client = ssm(SagaPlatform.ENV + "-" + READER)) {
      ProviderApiKey key = new ProviderApiKey(SSMProvider.builder().withClient(client).build().withDecryption(), secretName);

      // Powertools may wrap the SDK's error; the service's answer is in the chain either way.
      assertThatThrownBy(key::get).satisfies(thrown -> {
        AwsServiceException e = serviceError(thrown);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(e.awsErrorDetails().errorMessage()).contains("ssm:GetParameter", "parameter" + secretName);
      });
    }
  }

  private static AwsServiceException serviceError(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof AwsServiceException e) {
        return e;
      }
    }
    throw new AssertionError("no AWS service error in the chain of " + thrown, thrown);
  }

  private static SecretsManagerClient secretsManager(String accessKeyId) {
    return SecretsManagerClient.builder().endpointOverride(SagaPlatform.get().endpoints().secrets()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "local")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  private static SsmClient ssm(String accessKeyId) {
    return SsmClient.builder().endpointOverride(SagaPlatform.get().endpoints().secrets()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "local")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }
}
