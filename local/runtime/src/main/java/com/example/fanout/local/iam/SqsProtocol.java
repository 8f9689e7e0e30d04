package com.example.fanout.local.iam;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SQS's two wire protocols: JSON 1.0 ({@code X-Amz-Target: AmazonSQS.<Action>}, today's SDKs) and
 * the query protocol ({@code Action=<Action>&QueueUrl=...}, older SDKs and the AWS CLI v1). The
 * resource is the queue's ARN, from {@code QueueUrl} or {@code QueueName}. AccessDenied comes back in
 * the caller's protocol: JSON with {@code x-amzn-query-error: AccessDenied;Sender}, or query XML.
 */
public final class SqsProtocol implements ServiceProtocol {
  private final String region;
  private final String account;

  SqsProtocol(String region, String account) {
    this.region = region;
    this.account = account;
  }

  @Override
  public List<AuthzRequest> requests(HttpExchange exchange, byte[] body) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    Map<String, String> params = new LinkedHashMap<>();
    String action;
    if (target != null && target.startsWith("AmazonSQS.")) {
      action = target.substring("AmazonSQS.".length());
      JsonNode json = EventJson.parse(new String(body, StandardCharsets.UTF_8));
      json.properties().forEach(p -> params.put(p.getKey(), p.getValue().asText()));
    } else {
      String form = new String(body, StandardCharsets.UTF_8);
      String query = exchange.getRequestURI().getRawQuery();
      for (String pair : (form + "&" + (query == null ? "" : query)).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      action = params.get("Action");
    }
    if (action == null) {
      return List.of();
    }
    String queue = params.containsKey("QueueUrl") ? lastSegment(params.get("QueueUrl")) : params.get("QueueName");
    String resource = queue == null ? "*" : queueArn(region, account, queue);
    return List.of(new AuthzRequest("sqs:" + action.replaceFirst("Batch$", ""), resource));
  }

  /** The ARN IAM sees for a queue (ElasticMQ's own ARNs name the region {@code elasticmq}). */
  public static String queueArn(String region, String account, String queueName) {
    return "arn:aws:sqs:" + region + ":" + account + ":" + queueName;
  }

  private static String lastSegment(String url) {
    String path = URI.create(url).getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Override
  public void deny(HttpExchange exchange, Denial denial) throws IOException {
    String requestId = UUID.randomUUID().toString();
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    if (exchange.getRequestHeaders().getFirst("X-Amz-Target") != null) {
      exchange.getResponseHeaders().set("x-amzn-query-error", "AccessDenied;Sender");
      HttpExchanges.send(exchange, 400, "application/x-amz-json-1.0", EventJson.write(EventJson.mapper().createObjectNode()
          .put("__type", "com.amazon.coral.service#AccessDeniedException").put("message", denial.message())));
      return;
    }
    HttpExchanges.send(exchange, 403, "text/xml", "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>"
        + denial.message().replace("&", "&amp;").replace("<", "&lt;") + "</Message><Detail/></Error><RequestId>" + requestId
        + "</RequestId></ErrorResponse>");
  }
}
