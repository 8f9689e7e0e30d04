package com.example.fanout.local.ses;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** The local SES started to resume: the e-mails of earlier runs, read back from its outbox, come first. */
class SesServerResumeTest {
  @TempDir
  Path outbox;

  @Test
  void resumedServer_shouldListTheEmailsSentBeforeTheRestart_thenTheNewOnes_inOrder() throws Exception {
    String first;
    String second;
    try (SesServer server = new SesServer(0, outbox, true); SesV2Client ses = client(server)) {
      first = send(ses, "Order 1 shipped", "ada@example.com");
      second = send(ses, "Order 2 shipped — ü", "grace@example.com");
    }

    String third;
    try (SesServer server = new SesServer(0, outbox, true); SesV2Client ses = client(server)) {
      assertThat(server.sent()).extracting(SentEmail::messageId).containsExactly(first, second);
      SentEmail read = server.sent().get(1);
      assertThat(read.subject()).isEqualTo("Order 2 shipped — ü");
      assertThat(read.to()).containsExactly("grace@example.com");
      assertThat(read.from()).isEqualTo("shop@example.com");
      assertThat(read.body()).isEqualTo("Body of Order 2 shipped — ü");
      assertThat(read.sentAt()).isNotNull();

      third = send(ses, "Order 3 shipped", "ada@example.com");

      assertThat(server.sent()).extracting(SentEmail::messageId).containsExactly(first, second, third);
    }
    try (SesServer server = new SesServer(0, outbox, true)) {
      assertThat(server.sent()).extracting(SentEmail::messageId).containsExactly(first, second, third);
      assertThat(server.sent()).extracting(SentEmail::sentAt).isSorted();
    }
  }

  @Test
  void resume_shouldSkipALastLineCutShort_andNotGlueTheNextEmailToIt() throws Exception {
    String before;
    try (SesServer server = new SesServer(0, outbox, true); SesV2Client ses = client(server)) {
      before = send(ses, "Before the crash", "ada@example.com");
    }
    Path emails = outbox.resolve("emails.jsonl");
    // A process killed while writing a line: no newline, cut inside a two-byte character.
    byte[] cut = "{\"messageId\":\"cut\",\"subject\":\"ü".getBytes(StandardCharsets.UTF_8);
    Files.write(emails, Arrays.copyOf(cut, cut.length - 1), StandardOpenOption.APPEND);
    byte[] kept = Files.readAllBytes(emails);

    String after;
    try (SesServer server = new SesServer(0, outbox, true); SesV2Client ses = client(server)) {
      assertThat(server.sent()).extracting(SentEmail::messageId).containsExactly(before);
      after = send(ses, "After the crash", "ada@example.com");
      assertThat(server.sent()).extracting(SentEmail::messageId).containsExactly(before, after);
    }
    byte[] ended = Arrays.copyOf(kept, kept.length + 1);
    ended[kept.length] = '\n';
    assertThat(Arrays.copyOf(Files.readAllBytes(emails), ended.length)).as("what was there, then a newline ending the cut line")
        .isEqualTo(ended);
    try (SesServer server = new SesServer(0, outbox, true)) {
      assertThat(server.sent()).extracting(SentEmail::messageId).containsExactly(before, after);
    }
  }

  @Test
  void resume_shouldSkipALineThatIsNotAnEmail_inTheMiddleToo() throws Exception {
    Path emails = outbox.resolve("emails.jsonl");
    Files.writeString(emails, String.join("\n", List.of(
        "{\"messageId\":\"m1\",\"sentAt\":\"2026-01-01T00:00:00Z\",\"from\":\"a@x\",\"to\":[\"b@x\"],\"subject\":\"s1\",\"body\":\"b1\"}",
        "not json",
        "[1,2]",
        "",
        "{\"messageId\":\"m2\",\"sentAt\":\"2026-01-01T00:00:01Z\",\"from\":\"a@x\",\"to\":[\"b@x\"],\"subject\":\"s2\",\"body\":\"b2\"}")) + "\n");

    try (SesServer server = new SesServer(0, outbox, true)) {
      assertThat(server.sent()).extracting(SentEmail::messageId).containsExactly("m1", "m2");
      assertThat(server.sent().getFirst().to()).containsExactly("b@x");
    }
  }

  @Test
  void resume_shouldStartEmpty_whenThereIsNoOutboxYet() {
    try (SesServer server = new SesServer(0, outbox.resolve("new"), true)) {
      assertThat(server.sent()).isEmpty();
    }
  }

  @Test
  void defaultConstructor_shouldListOnlyThisServersEmails_butStillAppendThemToTheOutbox() throws Exception {
    String earlier;
    try (SesServer server = new SesServer(0, outbox); SesV2Client ses = client(server)) {
      earlier = send(ses, "Earlier", "ada@example.com");
    }

    try (SesServer server = new SesServer(0, outbox); SesV2Client ses = client(server)) {
      assertThat(server.sent()).isEmpty();
      String later = send(ses, "Later", "ada@example.com");
      assertThat(server.sent()).extracting(SentEmail::messageId).containsExactly(later);
    }
    assertThat(Files.readAllLines(outbox.resolve("emails.jsonl"))).hasSize(2).first().asString().contains(earlier);
  }

  private static String send(SesV2Client ses, String subject, String to) {
    return ses.sendEmail(r -> r.fromEmailAddress("shop@example.com").destination(d -> d.toAddresses(to))
        .content(c -> c.simple(m -> m.subject(x -> x.data(subject)).body(b -> b.text(t -> t.data("Body of " + subject)))))).messageId();
  }

  private static SesV2Client client(SesServer server) {
    return SesV2Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }
}
