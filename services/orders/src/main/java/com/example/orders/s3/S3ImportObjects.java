package com.example.orders.s3;

import com.example.orders.domain.imports.ImportObjects;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The imports bucket through the S3 API: GetObject streamed line by line, PutObject for the results. */
public final class S3ImportObjects implements ImportObjects {
  private final S3Client s3;

  public S3ImportObjects(S3Client s3) {
    this.s3 = Objects.requireNonNull(s3, "s3");
  }

  @Override
  public BufferedReader open(String bucket, String key) {
    return new BufferedReader(new InputStreamReader(
        s3.getObject(r -> r.bucket(bucket).key(key)), StandardCharsets.UTF_8));
  }

  @Override
  public void put(String bucket, String key, String content, String contentType) {
    s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType),
        RequestBody.fromString(content, StandardCharsets.UTF_8));
  }
}
