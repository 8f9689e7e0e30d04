package com.example.reporting.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

class S3ReportStoreTest {
  @Test
  void put_shouldWriteJsonToTheKeyInTheReportsBucket_whenAReportIsStored() {
    AtomicReference<PutObjectRequest> request = new AtomicReference<>();
    AtomicReference<String> body = new AtomicReference<>();
    S3Client s3 = new S3Client() {
      @Override
      public PutObjectResponse putObject(PutObjectRequest r, RequestBody b) {
        request.set(r);
        try (InputStream in = b.contentStreamProvider().newStream()) {
          body.set(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return PutObjectResponse.builder().build();
      }

      @Override
      public String serviceName() {
        return "s3";
      }

      @Override
      public void close() {}
    };

    new S3ReportStore(s3, "dev-reporting-reports-000000000000").put("reports/2026-11-25.json", "{\"orders\":1}");

    assertThat(request.get().bucket()).isEqualTo("dev-reporting-reports-000000000000");
    assertThat(request.get().key()).isEqualTo("reports/2026-11-25.json");
    assertThat(request.get().contentType()).isEqualTo("application/json");
    assertThat(body.get()).isEqualTo("{\"orders\":1}");
  }
}
