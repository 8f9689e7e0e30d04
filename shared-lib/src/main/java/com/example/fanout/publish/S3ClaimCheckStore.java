package com.example.fanout.publish;

import com.example.fanout.event.Sha256;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Claim-check payloads in S3, KMS-encrypted, under {@code <prefix><key>}. */
public final class S3ClaimCheckStore implements ClaimCheckStore {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

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
