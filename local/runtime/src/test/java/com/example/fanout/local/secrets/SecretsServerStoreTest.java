package com.example.fanout.local.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** The local Secrets Manager and SSM with a store directory: a server started again on it serves the same secrets. */
class SecretsServerStoreTest {
  private static final String REGION = "us-east-1";
  private static final String ACCOUNT = "000000000000";

  @TempDir
  Path store;

  @Test
  void restartedServer_shouldServeTheSameSecretsAndParameters_withTheSameArns() {
    String arn;
    GetSecretValueResponse before;
    Parameter tokenBefore;
    try (SecretsServer server = new SecretsServer(0, REGION, ACCOUNT, store); SecretsManagerClient secrets = secrets(server);
        SsmClient ssm = ssm(server)) {
      arn = secrets.createSecret(r -> r.name("/payments/provider-key").secretString("v1")).arn();
      secrets.putSecretValue(r -> r.secretId(arn).secretString("{\"apiKey\":\"v2\"}"));
      secrets.createSecret(r -> r.name("other").secretString("o"));
      ssm.putParameter(r -> r.name("/svc/token").value("t1").type(ParameterType.SECURE_STRING));
      ssm.putParameter(r -> r.name("/svc/token").value("t2").type(ParameterType.SECURE_STRING).overwrite(true));
      ssm.putParameter(r -> r.name("/svc/url").value("https://example.com").type(ParameterType.STRING));
      before = secrets.getSecretValue(r -> r.secretId("/payments/provider-key"));
      tokenBefore = ssm.getParameter(r -> r.name("/svc/token").withDecryption(true)).parameter();
    }

    try (SecretsServer server = new SecretsServer(0, REGION, ACCOUNT, store); SecretsManagerClient secrets = secrets(server);
        SsmClient ssm = ssm(server)) {
      assertThat(server.secretArn("/payments/provider-key")).isEqualTo(arn);
      GetSecretValueResponse byArn = secrets.getSecretValue(r -> r.secretId(arn));
      assertThat(byArn.arn()).isEqualTo(arn);
      assertThat(byArn.name()).isEqualTo("/payments/provider-key");
      assertThat(byArn.secretString()).isEqualTo("{\"apiKey\":\"v2\"}");
      assertThat(byArn.versionId()).isEqualTo(before.versionId());
      assertThat(byArn.versionStages()).containsExactly("AWSCURRENT");
      assertThat(byArn.createdDate()).isEqualTo(before.createdDate());
      assertThat(secrets.describeSecret(r -> r.secretId("/payments/provider-key")).arn()).isEqualTo(arn);
      assertThat(secrets.listSecrets().secretList()).extracting(SecretListEntry::name).containsExactly("/payments/provider-key", "other");
      assertThatThrownBy(() -> secrets.createSecret(r -> r.name("other").secretString("again")))
          .isInstanceOf(ResourceExistsException.class);

      Parameter token = ssm.getParameter(r -> r.name("/svc/token").withDecryption(true)).parameter();
      assertThat(token.value()).isEqualTo("t2");
      assertThat(token.type()).isEqualTo(ParameterType.SECURE_STRING);
      assertThat(token.version()).isEqualTo(2L);
      assertThat(token.arn()).isEqualTo(tokenBefore.arn());
      assertThat(token.lastModifiedDate()).isEqualTo(tokenBefore.lastModifiedDate());
      String encrypted = ssm.getParameter(r -> r.name("/svc/token")).parameter().value();
      assertThat(new String(Base64.getDecoder().decode(encrypted), StandardCharsets.UTF_8)).isNotEqualTo("t2").endsWith("t2");
      assertThat(ssm.getParameter(r -> r.name("/svc/url")).parameter().value()).isEqualTo("https://example.com");

      // What changes after the restart is kept with what was read back.
      ssm.putParameter(r -> r.name("/svc/token").value("t3").type(ParameterType.SECURE_STRING).overwrite(true));
    }
    try (SecretsServer server = new SecretsServer(0, REGION, ACCOUNT, store); SecretsManagerClient secrets = secrets(server);
        SsmClient ssm = ssm(server)) {
      assertThat(secrets.getSecretValue(r -> r.secretId("/payments/provider-key")).arn()).isEqualTo(arn);
      Parameter token = ssm.getParameter(r -> r.name("/svc/token").withDecryption(true)).parameter();
      assertThat(token.value()).isEqualTo("t3");
      assertThat(token.version()).isEqualTo(3L);
    }
  }

  @Test
  void storeFile_shouldBeOwnerOnly_andLeaveNoTemporaryFile() throws Exception {
    Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
    try (SecretsServer server = new SecretsServer(0, REGION, ACCOUNT, store); SecretsManagerClient secrets = secrets(server);
        SsmClient ssm = ssm(server)) {
      secrets.createSecret(r -> r.name("db-password").secretString("hunter2"));
      ssm.putParameter(r -> r.name("/svc/token").value("t1").type(ParameterType.SECURE_STRING));
    }

    Path file = store.resolve("secrets.json");
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(Files.readString(file)).contains("hunter2");
    try (Stream<Path> files = Files.list(store)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void restart_shouldRemoveATemporaryFileLeftByAnInterruptedSave() throws Exception {
    try (SecretsServer server = new SecretsServer(0, REGION, ACCOUNT, store); SecretsManagerClient secrets = secrets(server)) {
      secrets.createSecret(r -> r.name("kept").secretString("k"));
    }
    Path leftover = Files.writeString(store.resolve(".secrets.json.123.tmp"), "{\"secrets\":[");

    try (SecretsServer server = new SecretsServer(0, REGION, ACCOUNT, store); SecretsManagerClient secrets = secrets(server)) {
      assertThat(secrets.getSecretValue(r -> r.secretId("kept")).secretString()).isEqualTo("k");
    }
    assertThat(leftover).doesNotExist();
  }

  @Test
  void defaultConstructor_shouldKeepNothing() throws Exception {
    try (SecretsServer server = new SecretsServer(0, REGION, ACCOUNT); SecretsManagerClient secrets = secrets(server);
        SsmClient ssm = ssm(server)) {
      secrets.createSecret(r -> r.name("memory-only").secretString("m"));
      ssm.putParameter(r -> r.name("memory-only").value("m").type(ParameterType.STRING));
    }
    try (SecretsServer server = new SecretsServer(0, REGION, ACCOUNT, null); SecretsManagerClient secrets = secrets(server)) {
      assertThat(secrets.listSecrets().secretList()).isEmpty();
      secrets.createSecret(r -> r.name("memory-only-too").secretString("m"));
    }
    try (SecretsServer server = new SecretsServer(0, REGION, ACCOUNT, store); SecretsManagerClient secrets = secrets(server);
        SsmClient ssm = ssm(server)) {
      assertThat(secrets.listSecrets().secretList()).isEmpty();
      assertThat(ssm.getParameters(r -> r.names("memory-only")).invalidParameters()).containsExactly("memory-only");
    }
    try (Stream<Path> files = Files.list(store)) {
      assertThat(files).isEmpty();
    }
  }

  private static SecretsManagerClient secrets(SecretsServer server) {
    return SecretsManagerClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  private static SsmClient ssm(SecretsServer server) {
    return SsmClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }
}
