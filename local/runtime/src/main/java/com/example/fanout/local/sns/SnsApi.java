package com.example.fanout.local.sns;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.example.fanout.publish.PayloadLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * SNS {@code Publish} and {@code PublishBatch} on the domain topics, in both wire protocols the AWS
 * SDKs use: the query protocol (form-encoded {@code Action=Publish}, XML answers) and the JSON
 * protocol ({@code X-Amz-Target: AmazonSimpleNotificationService.Publish}). Messages go through the
 * topic as EventBridge's do: SNS's 256 KiB limit, then the subscriptions' filter policies on the body.
 * Message attributes are accepted and not used: the subscriptions filter on the body only.
 */
public final class SnsApi {
  public static final String TARGET_PREFIX = "AmazonSimpleNotificationService.";
  private static final String XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";
  private static final String JSON_10 = "application/x-amz-json-1.0";
  private static final int MAX_BATCH_ENTRIES = 10;

  private final Map<String, DomainTopic> topicsByArn = new LinkedHashMap<>();

  public void add(DomainTopic topic) {
    topicsByArn.put(topic.arn(), topic);
  }

  /** Whether the request is an SNS call (JSON target or query action) rather than another service's. */
  public static boolean isSnsRequest(String amzTarget, String contentType) {
    return (amzTarget != null && amzTarget.startsWith(TARGET_PREFIX))
        || (amzTarget == null && contentType != null && contentType.startsWith("application/x-www-form-urlencoded"));
  }

  public void handle(HttpExchange exchange, byte[] body) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    boolean json = target != null;
    String requestId = UUID.randomUUID().toString();
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    try {
      Request request = json ? Request.json(target.substring(TARGET_PREFIX.length()), body) : Request.query(body);
      Answer answer = switch (request.action()) {
        case "Publish" -> publish(request);
        case "PublishBatch" -> publishBatch(request);
        default -> throw new SnsError(400, "InvalidAction", "The local SNS serves Publish and PublishBatch, not " + request.action());
      };
      if (json) {
        HttpExchanges.send(exchange, 200, JSON_10, EventJson.write(answer.json()));
      } else {
        HttpExchanges.send(exchange, 200, "text/xml", "<" + request.action() + "Response xmlns=\"" + XMLNS + "\"><"
            + request.action() + "Result>" + answer.xml() + "</" + request.action() + "Result><ResponseMetadata><RequestId>"
            + requestId + "</RequestId></ResponseMetadata></" + request.action() + "Response>");
      }
    } catch (SnsError e) {
      if (json) {
        ObjectNode error = EventJson.mapper().createObjectNode();
        error.put("__type", e.code);
        error.put("message", e.getMessage());
        exchange.getResponseHeaders().set("x-amzn-query-error", e.code + ";Sender");
        HttpExchanges.send(exchange, e.status, JSON_10, EventJson.write(error));
      } else {
        HttpExchanges.send(exchange, e.status, "text/xml", "<ErrorResponse xmlns=\"" + XMLNS + "\"><Error><Type>Sender</Type><Code>"
            + xml(e.code) + "</Code><Message>" + xml(e.getMessage()) + "</Message></Error><RequestId>" + requestId
            + "</RequestId></ErrorResponse>");
      }
    }
  }

  private Answer publish(Request request) {
    DomainTopic topic = topic(request.single("TopicArn"));
    String message = request.single("Message");
    if (message == null || message.isEmpty()) {
      throw new SnsError(400, "InvalidParameter", "Invalid parameter: Empty message");
    }
    SnsPublishException refused = topic.publishAll(List.of(new DomainTopic.Message(message, null))).getFirst();
    if (refused != null) {
      throw new SnsError(400, refused.errorCode(), refused.getMessage());
    }
    String id = UUID.randomUUID().toString();
    ObjectNode json = EventJson.mapper().createObjectNode().put("MessageId", id);
    return new Answer(json, "<MessageId>" + id + "</MessageId>");
  }

  private Answer publishBatch(Request request) {
    DomainTopic topic = topic(request.single("TopicArn"));
    List<Map<String, String>> entries = request.entries();
    if (entries.isEmpty()) {
      throw new SnsError(400, "EmptyBatchRequest", "The batch request doesn't contain any entries.");
    }
    if (entries.size() > MAX_BATCH_ENTRIES) {
      throw new SnsError(400, "TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.");
    }
    Set<String> ids = new HashSet<>();
    long total = 0;
    for (Map<String, String> e : entries) {
      if (!ids.add(String.valueOf(e.get("Id")))) {
        throw new SnsError(400, "BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
      }
      total += e.getOrDefault("Message", "").getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > PayloadLimits.SNS_MAX_MESSAGE_BYTES) {
      throw new SnsError(400, "BatchRequestTooLong", "The length of all the messages put together is more than the limit.");
    }
    List<Map<String, String>> publishable = new ArrayList<>();
    ObjectNode json = EventJson.mapper().createObjectNode();
    ArrayNode successful = json.putArray("Successful");
    ArrayNode failed = json.putArray("Failed");
    for (Map<String, String> e : entries) {
      String message = e.get("Message");
      if (message == null || message.isEmpty()) {
        failed.addObject().put("Id", e.get("Id")).put("Code", "InvalidParameter").put("Message", "Invalid parameter: Empty message")
            .put("SenderFault", true);
      } else {
        publishable.add(e);
      }
    }
    List<SnsPublishException> results = topic.publishAll(publishable.stream()
        .map(e -> new DomainTopic.Message(e.get("Message"), null)).toList());
    for (int i = 0; i < publishable.size(); i++) {
      String id = publishable.get(i).get("Id");
      SnsPublishException refused = results.get(i);
      if (refused == null) {
        successful.addObject().put("Id", id).put("MessageId", UUID.randomUUID().toString());
      } else {
        failed.addObject().put("Id", id).put("Code", refused.errorCode()).put("Message", refused.getMessage()).put("SenderFault", true);
      }
    }
    StringBuilder xml = new StringBuilder("<Successful>");
    successful.forEach(s -> xml.append("<member><Id>").append(xml(s.get("Id").asText())).append("</Id><MessageId>")
        .append(s.get("MessageId").asText()).append("</MessageId></member>"));
    xml.append("</Successful><Failed>");
    failed.forEach(f -> xml.append("<member><Id>").append(xml(f.get("Id").asText())).append("</Id><Code>").append(xml(f.get("Code").asText()))
        .append("</Code><Message>").append(xml(f.get("Message").asText())).append("</Message><SenderFault>true</SenderFault></member>"));
    xml.append("</Failed>");
    return new Answer(json, xml.toString());
  }

  private DomainTopic topic(String arn) {
    if (arn == null || arn.isBlank()) {
      throw new SnsError(400, "InvalidParameter", "Invalid parameter: TopicArn");
    }
    DomainTopic topic = topicsByArn.get(arn);
    if (topic == null) {
      throw new SnsError(404, "NotFound", "Topic does not exist");
    }
    return topic;
  }

  private static String xml(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private record Answer(ObjectNode json, String xml) {}

  /** An SNS error answer: HTTP status, SNS error code, message. */
  private static final class SnsError extends RuntimeException {
    private final int status;
    private final String code;

    SnsError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** The action and its parameters, read from either protocol. */
  private record Request(String action, Map<String, String> params, List<Map<String, String>> entries) {
    String single(String name) {
      return params.get(name);
    }

    static Request json(String action, byte[] body) {
      JsonNode root;
      try {
        root = EventJson.mapper().readTree(body);
      } catch (IOException e) {
        throw new SnsError(400, "SerializationException", "request body is not JSON");
      }
      Map<String, String> params = new LinkedHashMap<>();
      root.properties().forEach(f -> {
        if (f.getValue().isValueNode()) {
          params.put(f.getKey(), f.getValue().asText());
        }
      });
      List<Map<String, String>> entries = new ArrayList<>();
      root.path("PublishBatchRequestEntries").forEach(e -> {
        Map<String, String> entry = new LinkedHashMap<>();
        e.properties().forEach(f -> {
          if (f.getValue().isValueNode()) {
            entry.put(f.getKey(), f.getValue().asText());
          }
        });
        entries.add(entry);
      });
      return new Request(action, params, entries);
    }

    /** {@code Action=PublishBatch&PublishBatchRequestEntries.member.1.Id=a&PublishBatchRequestEntries.member.1.Message=...}. */
    static Request query(byte[] body) {
      Map<String, String> params = new LinkedHashMap<>();
      for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.put(key, value);
      }
      Map<Integer, Map<String, String>> byIndex = new java.util.TreeMap<>();
      String prefix = "PublishBatchRequestEntries.member.";
      params.forEach((key, value) -> {
        if (key.startsWith(prefix)) {
          String rest = key.substring(prefix.length());
          int dot = rest.indexOf('.');
          if (dot > 0 && rest.substring(0, dot).matches("\\d+")) {
            byIndex.computeIfAbsent(Integer.parseInt(rest.substring(0, dot)), k -> new LinkedHashMap<>()).put(rest.substring(dot + 1), value);
          }
        }
      });
      String action = params.getOrDefault("Action", "");
      return new Request(action, params, new ArrayList<>(byIndex.values()));
    }
  }
}
