package com.example.orders.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

class S3ImportObjectsTest {

  /** An S3 client serving one object and recording puts; no network. */
  private static final class OneObjectS3 implements S3Client {
    final List<GetObjectRequest> gets = new ArrayList<>();
    final List<PutObjectRequest> puts = new ArrayList<>();
    final List<String> bodies = new ArrayList<>();
    private final byte[] object;

    OneObjectS3(String object) {
      this.object = object.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
      gets.add(request);
      try {
        return transformer.transform(GetObjectResponse.builder().contentLength((long) object.length).build(),
            AbortableInputStream.create(new ByteArrayInputStream(object)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
      puts.add(request);
      try (var in = body.contentStreamProvider().newStream()) {
        bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
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
  }

  @Test
  void open_shouldStreamTheObjectAsUtf8Lines_whenItExists() throws IOException {
    OneObjectS3 s3 = new OneObjectS3("customerId\ncus_Zoë\n");

    try (BufferedReader reader = new S3ImportObjects(s3).open("bucket", "incoming/a.csv")) {
      assertThat(reader.lines()).containsExactly("customerId", "cus_Zoë");
    }
    assertThat(s3.gets).singleElement().satisfies(r -> {
      assertThat(r.bucket()).isEqualTo("bucket");
      assertThat(r.key()).isEqualTo("incoming/a.csv");
    });
  }

  @Test
  void put_shouldWriteTheContentWithItsType_whenCalled() {
    OneObjectS3 s3 = new OneObjectS3("");

    new S3ImportObjects(s3).put("bucket", "processed/a.csv.summary.json", "{\"created\":1}", "application/json");

    assertThat(s3.puts).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo("processed/a.csv.summary.json");
      assertThat(r.contentType()).isEqualTo("application/json");
    });
    assertThat(s3.bodies).containsExactly("{\"created\":1}");
  }
}
