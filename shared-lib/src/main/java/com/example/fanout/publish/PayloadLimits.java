package com.example.fanout.publish;

import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Every size limit on the event path, in one place, and the arithmetic AWS uses for them.
 *
 * <ul>
 *   <li>EventBridge {@code PutEvents}: at most 10 entries per call; the entries of one call may
 *       total 1 MiB (raised from 256 KiB in January 2026), counted as the EventBridge user guide's
 *       "Calculating PutEvents event entry size" describes: Time is 14 bytes if set, Source,
 *       DetailType, Detail and each Resources entry by their UTF-8 bytes.
 *   <li>SNS: a message is at most 256 KiB (262,144 bytes). EventBridge delivers the whole event
 *       (its own envelope around our detail) to the domain topic, so this is the tightest hop.
 *   <li>SQS and asynchronous Lambda invocations: 1 MiB (January 2026).
 * </ul>
 *
 * <p>An event fits the chain when its entry fits PutEvents and the event EventBridge builds from it
 * fits SNS: {@link #deliveredEventBytes}.
 */
public record PayloadLimits(int maxEntriesPerCall, int maxRequestBytes, int maxDeliveredEventBytes) {
  public static final int PUT_EVENTS_MAX_ENTRIES = 10;
  public static final int PUT_EVENTS_MAX_BYTES = 1_048_576;
  public static final int SNS_MAX_MESSAGE_BYTES = 262_144;
  public static final int SQS_MAX_MESSAGE_BYTES = 1_048_576;

  /**
   * The event EventBridge delivers, less detail-type, source, resources and detail:
   * {@code {"version":"0","id":"<uuid>","detail-type":,"source":,"account":"<12 digits>",
   * "time":"yyyy-MM-ddTHH:mm:ssZ","region":"<region>","resources":[],"detail":}}, with room for the
   * longest region name.
   */
  static final int EVENTBRIDGE_ENVELOPE_BYTES = envelopeBytes();

  private static final int LONGEST_REGION = 16;
  private static final int TIME_BYTES = 14;

  /** The platform's chain: EventBridge, then SNS (the tightest hop), then SQS. */
  public static PayloadLimits fanOutChain() {
    return new PayloadLimits(PUT_EVENTS_MAX_ENTRIES, PUT_EVENTS_MAX_BYTES, SNS_MAX_MESSAGE_BYTES);
  }

  /** PutEvents entry size exactly as EventBridge computes it. */
  public static int entryBytes(PutEventsRequestEntry entry) {
    int size = 0;
    if (entry.time() != null) {
      size += TIME_BYTES;
    }
    size += utf8(entry.source());
    size += utf8(entry.detailType());
    size += utf8(entry.detail());
    if (entry.resources() != null) {
      for (String r : entry.resources()) {
        size += utf8(r);
      }
    }
    return size;
  }

  /**
   * Upper bound of the event EventBridge delivers to targets for this entry: its envelope, the
   * JSON-quoted source and detail-type, the resources array and the detail as sent.
   */
  public static int deliveredEventBytes(PutEventsRequestEntry entry) {
    int size = EVENTBRIDGE_ENVELOPE_BYTES + quoted(entry.source()) + quoted(entry.detailType()) + utf8(entry.detail());
    if (entry.resources() != null) {
      for (String r : entry.resources()) {
        size += quoted(r) + 1;
      }
    }
    return size;
  }

  /** Why an entry cannot travel the chain, or null if it can. */
  public String rejection(PutEventsRequestEntry entry) {
    int entryBytes = entryBytes(entry);
    if (entryBytes > maxRequestBytes) {
      return "entry is " + entryBytes + " bytes; PutEvents takes at most " + maxRequestBytes;
    }
    int delivered = deliveredEventBytes(entry);
    if (delivered > maxDeliveredEventBytes) {
      return "delivered event would be " + delivered + " bytes (" + entryBytes + " bytes of entry plus EventBridge's envelope); "
          + "the tightest hop (SNS) takes at most " + maxDeliveredEventBytes;
    }
    return null;
  }

  private static int envelopeBytes() {
    String template = "{\"version\":\"0\",\"id\":\"00000000-0000-0000-0000-000000000000\",\"detail-type\":,\"source\":,"
        + "\"account\":\"000000000000\",\"time\":\"2026-01-01T00:00:00Z\",\"region\":\"" + "x".repeat(LONGEST_REGION)
        + "\",\"resources\":[],\"detail\":}";
    return template.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Bytes of the string as a JSON string literal (quotes and escapes included). */
  static int quoted(String s) {
    if (s == null) {
      return 4;
    }
    int extra = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        extra += 1;
      } else if (c < 0x20) {
        extra += 5;
      }
    }
    return utf8(s) + extra;
  }
}
