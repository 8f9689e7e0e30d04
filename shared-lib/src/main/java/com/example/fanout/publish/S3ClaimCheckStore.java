package com.example.fanout.publish;

import com.example.fanout.event.Sha256;
import com.example.fanout.runtime.AwsClients;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Claim-check payloads in S3, KMS-encrypted, under {@code <prefix><key>}. */
public final class S3ClaimCheckStore implements ClaimCheckStore {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  static final String S3_CLIENT_CLASS = "software.amazon.awssdk.services.s3.S3Client";

  /**
   * The store of a deployed function, under {@code claim-checks/}. The S3 client is in a function's
   * package only when its service asks for it (shared-lib declares it optional).
   *
   * @throws IllegalStateException when the package has no S3 client
   */
  public static ClaimCheckStore create(String bucket, AwsClients clients) {
    AwsClients.requirePackaged(S3ClaimCheckStore.class, "CLAIM_CHECK_BUCKET is set but the S3 client is not in this function's"
        + " package: a service whose manifest publishes with claim_check: true declares software.amazon.awssdk:s3 in its pom",
        S3_CLIENT_CLASS);
    return new S3ClaimCheckStore(clients.s3(), bucket, "claim-checks/");
  }

  public S3ClaimCheckStore(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  @Override
  public ClaimCheck put(String key, byte[] payload) {
    String objectKey = prefix + key;
    s3.putObject(b -> b.bucket(bucket).key(objectKey).contentType("application/json")
        .serverSideEncryption(ServerSideEncryption.AWS_KMS), RequestBody.fromBytes(payload));
    return new ClaimCheck(bucket, objectKey, Sha256.hex(payload), payload.length);
  }

  @Override
  public byte[] get(ClaimCheck claim) {
    return s3.getObjectAsBytes(b -> b.bucket(claim.bucket()).key(claim.key())).asByteArray();
  }
}
