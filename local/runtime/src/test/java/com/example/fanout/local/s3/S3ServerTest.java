package com.example.fanout.local.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class S3ServerTest {
  @Test
  void decodeAwsChunked_shouldReturnThePayload_whenTheSdkSendsSignedChunksAndATrailer() throws Exception {
    String body = "5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=0\r\n"
        + "x-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
    assertThat(new String(S3Server.decodeAwsChunked(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
        .isEqualTo("hello world");
  }

  @Test
  void decodeAwsChunked_shouldReturnThePayload_whenChunksAreUnsigned() throws Exception {
    String body = "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
    assertThat(S3Server.decodeAwsChunked(body.getBytes(StandardCharsets.UTF_8))).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
  }
}
