package com.example.reporting.s3;

import com.example.reporting.domain.ReportStore;
import java.util.Objects;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Reports as JSON objects in the reports bucket; the same key is overwritten by a re-run (idempotent per day). */
public final class S3ReportStore implements ReportStore {
  private final S3Client s3;
  private final String bucket;

  public S3ReportStore(S3Client s3, String bucket) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  @Override
  public void put(String key, String json) {
    s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromString(json));
  }
}
