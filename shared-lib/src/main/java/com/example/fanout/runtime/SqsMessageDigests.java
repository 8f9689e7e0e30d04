package com.example.fanout.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.utils.BinaryUtils;
import software.amazon.awssdk.utils.Md5Utils;

/**
 * The MD5 digests SQS returns for a sent message, which the SDK's SQS client checks against its own
 * before it accepts an answer to {@code SendMessage}: what a stand-in for SQS must compute (the
 * priming loopback, the cold-start bench's stub). Read from the JSON protocol's request.
 */
public final class SqsMessageDigests {
  private SqsMessageDigests() {}

  /** {@code SendMessage}'s answer for {@code request}: a message id and the digests of what was sent. */
  public static String sendMessageAnswer(String messageId, JsonNode request) {
    StringBuilder answer = new StringBuilder("{\"MessageId\":\"").append(messageId)
        .append("\",\"MD5OfMessageBody\":\"").append(ofBody(request.path("MessageBody").asText())).append('"');
    if (!request.path("MessageAttributes").isEmpty()) {
      answer.append(",\"MD5OfMessageAttributes\":\"").append(ofAttributes(request.path("MessageAttributes"))).append('"');
    }
    return answer.append('}').toString();
  }

  /** Hex MD5 of the body's UTF-8 bytes. */
  public static String ofBody(String body) {
    return md5(body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * SQS's digest of message attributes ({@code MessageAttributes} as the JSON protocol sends them):
   * by name, each of name, data type and value length-prefixed, a transport byte (1 string, 2 binary)
   * before the value.
   */
  public static String ofAttributes(JsonNode attributes) {
    Map<String, JsonNode> byName = new TreeMap<>();
    attributes.properties().forEach(a -> byName.put(a.getKey(), a.getValue()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      for (Map.Entry<String, JsonNode> a : byName.entrySet()) {
        lengthPrefixed(bytes, a.getKey().getBytes(StandardCharsets.UTF_8));
        lengthPrefixed(bytes, a.getValue().path("DataType").asText().getBytes(StandardCharsets.UTF_8));
        if (a.getValue().has("BinaryValue")) {
          bytes.write(2);
          lengthPrefixed(bytes, a.getValue().path("BinaryValue").binaryValue());
        } else {
          bytes.write(1);
          lengthPrefixed(bytes, a.getValue().path("StringValue").asText().getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException notBase64) {
      throw new UncheckedIOException(notBase64);
    }
    return md5(bytes.toByteArray());
  }

  private static void lengthPrefixed(ByteArrayOutputStream out, byte[] value) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
    out.writeBytes(value);
  }

  private static String md5(byte[] value) {
    return BinaryUtils.toHex(Md5Utils.computeMD5Hash(value));
  }
}
