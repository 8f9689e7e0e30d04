package com.example.reporting.s3;

import com.example.fanout.runtime.FunctionEnvironment;
import com.example.reporting.domain.ReportStore;
import java.util.Objects;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Reports as JSON objects in the reports bucket; the same key is overwritten by a re-run (idempotent per day). */
public final class S3ReportStore implements ReportStore {
  private final S3Client s3;
  private final String bucket;

  public S3ReportStore(S3Client s3, String bucket) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  /**
   * The function's client. Path-style addressing when {@code S3_FORCE_PATH_STYLE} says so, else
   * whenever the S3 endpoint is overridden (the SDK's {@code aws.endpointUrlS3} / {@code aws.endpointUrl}
   * properties or {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL}): a local stand-in on
   * {@code 127.0.0.1} cannot serve {@code <bucket>.127.0.0.1}. In AWS neither is set: virtual-hosted style.
   */
  public static S3Client client() {
    boolean pathStyle = FunctionEnvironment.get("S3_FORCE_PATH_STYLE").map(Boolean::parseBoolean)
        .orElseGet(S3ReportStore::endpointOverridden);
    return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).forcePathStyle(pathStyle).build();
  }

  private static boolean endpointOverridden() {
    return System.getProperty("aws.endpointUrlS3") != null || System.getProperty("aws.endpointUrl") != null
        || FunctionEnvironment.get("AWS_ENDPOINT_URL_S3").isPresent() || FunctionEnvironment.get("AWS_ENDPOINT_URL").isPresent();
  }

  @Override
  public void put(String key, String json) {
    s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromString(json));
  }
}
