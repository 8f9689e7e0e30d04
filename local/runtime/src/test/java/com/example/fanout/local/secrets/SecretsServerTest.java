package com.example.fanout.local.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** The local Secrets Manager and SSM through the SDK's own clients, as functions and operators call them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsServerTest {
  private SecretsServer server;
  private SecretsManagerClient secrets;
  private SsmClient ssm;

  @BeforeAll
  void start() {
    server = new SecretsServer(0, "us-east-1", "000000000000");
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    secrets = SecretsManagerClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    ssm = SsmClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
  }

  @AfterAll
  void stop() {
    secrets.close();
    ssm.close();
    server.close();
  }

  @Test
  void createdSecret_shouldHaveAnArnWithSixRandomCharacters_andBeReadByNameOrArn() {
    CreateSecretResponse created = secrets.createSecret(r -> r.name("/svc/api-key").secretString("s3cr3t"));

    assertThat(created.arn()).matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:/svc/api-key-[A-Za-z0-9]{6}");
    assertThat(server.secretArn("/svc/api-key")).isEqualTo(created.arn());
    GetSecretValueResponse byName = secrets.getSecretValue(r -> r.secretId("/svc/api-key"));
    GetSecretValueResponse byArn = secrets.getSecretValue(r -> r.secretId(created.arn()));
    assertThat(byName.secretString()).isEqualTo("s3cr3t");
    assertThat(byArn.name()).isEqualTo("/svc/api-key");
    assertThat(byName.versionStages()).containsExactly("AWSCURRENT");
    assertThat(secrets.describeSecret(r -> r.secretId("/svc/api-key")).arn()).isEqualTo(created.arn());
    assertThat(secrets.listSecrets().secretList()).extracting(s -> s.name()).contains("/svc/api-key");
  }

  @Test
  void putSecretValue_shouldReplaceTheValue_andKeepTheArn() {
    String arn = secrets.createSecret(r -> r.name("rotated").secretString("v1")).arn();

    secrets.putSecretValue(r -> r.secretId("rotated").secretString("v2"));

    GetSecretValueResponse read = secrets.getSecretValue(r -> r.secretId("rotated"));
    assertThat(read.secretString()).isEqualTo("v2");
    assertThat(read.arn()).isEqualTo(arn);
  }

  @Test
  void secretsManager_shouldAnswerWithItsOwnErrors_forAMissingOrExistingSecret() {
    secrets.createSecret(r -> r.name("taken").secretString("x"));

    assertThatThrownBy(() -> secrets.createSecret(r -> r.name("taken").secretString("y"))).isInstanceOf(ResourceExistsException.class);
    assertThatThrownBy(() -> secrets.getSecretValue(r -> r.secretId("nobody"))).isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("can't find the specified secret");
    assertThat(server.secretArn("nobody")).isEqualTo("arn:aws:secretsmanager:us-east-1:000000000000:secret:nobody");
  }

  /** The AWS CLI, as an operator creates the payment provider's key (skipped where it is not installed). */
  @Test
  void awsCli_shouldCreateAndReadASecretAndAParameter_againstThisEndpoint() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(onPath("aws"), "the AWS CLI is not installed");

    String created = aws("secretsmanager", "create-secret", "--name", "/cli/provider", "--secret-string", "{\"apiKey\":\"k1\"}");
    String read = aws("secretsmanager", "get-secret-value", "--secret-id", "/cli/provider", "--query", "SecretString", "--output", "text");
    aws("ssm", "put-parameter", "--name", "/cli/token", "--value", "t1", "--type", "SecureString");
    String parameter = aws("ssm", "get-parameter", "--name", "/cli/token", "--with-decryption", "--query", "Parameter.Value", "--output", "text");

    assertThat(created).contains("arn:aws:secretsmanager:us-east-1:000000000000:secret:/cli/provider-");
    assertThat(read.trim()).isEqualTo("{\"apiKey\":\"k1\"}");
    assertThat(parameter.trim()).isEqualTo("t1");
  }

  private String aws(String... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("aws", "--endpoint-url", server.endpoint().toString(),
        "--region", "us-east-1"));
    command.addAll(java.util.List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("AWS_ACCESS_KEY_ID", "local");
    builder.environment().put("AWS_SECRET_ACCESS_KEY", "local");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("aws " + String.join(" ", args) + ":\n" + out).isZero();
    return out;
  }

  private static boolean onPath(String program) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(dir -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program)));
  }

  @Test
  void secureStringParameter_shouldComeBackAsCiphertext_unlessDecryptionIsAsked() {
    ssm.putParameter(r -> r.name("/svc/token").value("plain").type(ParameterType.SECURE_STRING));

    String encrypted = ssm.getParameter(r -> r.name("/svc/token")).parameter().value();
    assertThat(encrypted).isNotEqualTo("plain");
    assertThat(new String(Base64.getDecoder().decode(encrypted), StandardCharsets.UTF_8)).endsWith("plain");
    var decrypted = ssm.getParameter(r -> r.name("/svc/token").withDecryption(true)).parameter();
    assertThat(decrypted.value()).isEqualTo("plain");
    assertThat(decrypted.arn()).isEqualTo("arn:aws:ssm:us-east-1:000000000000:parameter/svc/token");
    assertThat(decrypted.version()).isEqualTo(1L);
  }

  @Test
  void putParameter_shouldRefuseToOverwrite_unlessAsked_andCountVersions() {
    ssm.putParameter(r -> r.name("flag").value("a").type(ParameterType.STRING));

    assertThatThrownBy(() -> ssm.putParameter(r -> r.name("flag").value("b").type(ParameterType.STRING)))
        .isInstanceOf(ParameterAlreadyExistsException.class);
    assertThat(ssm.putParameter(r -> r.name("flag").value("b").type(ParameterType.STRING).overwrite(true)).version()).isEqualTo(2L);
    assertThat(ssm.getParameter(r -> r.name("flag")).parameter().value()).isEqualTo("b");
    assertThatThrownBy(() -> ssm.getParameter(r -> r.name("missing"))).isInstanceOf(ParameterNotFoundException.class);
    GetParametersResponse some = ssm.getParameters(r -> r.names("flag", "missing"));
    assertThat(some.parameters()).extracting(p -> p.value()).containsExactly("b");
    assertThat(some.invalidParameters()).containsExactly("missing");
  }
}
