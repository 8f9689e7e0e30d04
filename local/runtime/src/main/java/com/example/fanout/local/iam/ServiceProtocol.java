package com.example.fanout.local.iam;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.example.fanout.local.secrets.SecretsServer;
import com.example.fanout.local.sns.SnsApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How one AWS service's wire protocol names the action and resources of a call, and how it answers
 * AccessDenied: JSON 1.0/1.1 with {@code __type}, REST-JSON with {@code x-amzn-ErrorType}, S3's XML.
 */
public interface ServiceProtocol {

  /** The authorisations the call needs; empty for a call that names no action (left to the server). */
  List<AuthzRequest> requests(HttpExchange exchange, byte[] body);

  void deny(HttpExchange exchange, Denial denial) throws IOException;

  /** EventBridge {@code PutEvents} (JSON 1.1): one request per entry, with {@code events:source} and {@code events:detail-type}. */
  static ServiceProtocol eventBridge(String region, String account) {
    return new ServiceProtocol() {
      @Override
      public List<AuthzRequest> requests(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (SnsApi.isSnsRequest(target, exchange.getRequestHeaders().getFirst("Content-Type"))) {
          return snsRequests(target, body);
        }
        if (target == null || !target.startsWith("AWSEvents.")) {
          return List.of();
        }
        String action = "events:" + target.substring("AWSEvents.".length());
        JsonNode request = json(body);
        List<AuthzRequest> out = new ArrayList<>();
        for (JsonNode e : request.path("Entries")) {
          String bus = e.path("EventBusName").asText("default");
          String arn = bus.startsWith("arn:") ? bus : "arn:aws:events:" + region + ":" + account + ":event-bus/" + bus;
          out.add(new AuthzRequest(action, arn, Map.of(
              "events:source", List.of(e.path("Source").asText("")),
              "events:detail-type", List.of(e.path("DetailType").asText("")),
              "aws:SecureTransport", List.of("true"))));
        }
        return out;
      }

      @Override
      public void deny(HttpExchange exchange, Denial denial) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!SnsApi.isSnsRequest(target, exchange.getRequestHeaders().getFirst("Content-Type"))) {
          jsonError(exchange, 400, "AccessDeniedException", "AccessDeniedException", "application/x-amz-json-1.1", denial);
        } else if (target != null) {
          jsonError(exchange, 403, "AuthorizationError", "AuthorizationError", "application/x-amz-json-1.0", denial);
        } else {
          exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
          HttpExchanges.send(exchange, 403, "text/xml", "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error>"
              + "<Type>Sender</Type><Code>AuthorizationError</Code><Message>" + xml(denial.message()) + "</Message></Error>"
              + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
        }
      }

      /** SNS shares this endpoint: {@code Publish} and {@code PublishBatch} both need {@code sns:Publish} on the topic. */
      private List<AuthzRequest> snsRequests(String target, byte[] body) {
        String action;
        String topicArn;
        if (target != null) {
          action = target.substring(SnsApi.TARGET_PREFIX.length());
          topicArn = json(body).path("TopicArn").asText("");
        } else {
          Map<String, String> form = HttpExchanges.query(new String(body, java.nio.charset.StandardCharsets.UTF_8));
          action = form.getOrDefault("Action", "");
          topicArn = form.getOrDefault("TopicArn", "");
        }
        if (!action.equals("Publish") && !action.equals("PublishBatch")) {
          return List.of();
        }
        return List.of(new AuthzRequest("sns:Publish", topicArn, Map.of("aws:SecureTransport", List.of("true"))));
      }
    };
  }

  /** DynamoDB (JSON 1.0): the operation on each table it names, batches and transactions included. */
  static ServiceProtocol dynamoDb(String region, String account) {
    return new ServiceProtocol() {
      @Override
      public List<AuthzRequest> requests(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null || !target.contains(".")) {
          return List.of();
        }
        String operation = target.substring(target.indexOf('.') + 1);
        JsonNode request = json(body);
        List<AuthzRequest> out = new ArrayList<>();
        if (request.has("TableName")) {
          out.add(new AuthzRequest("dynamodb:" + operation, table(request.path("TableName").asText())));
        }
        request.path("RequestItems").fieldNames().forEachRemaining(t -> out.add(new AuthzRequest("dynamodb:" + operation, table(t))));
        for (JsonNode item : request.path("TransactItems")) {
          item.properties().forEach(op -> out.add(new AuthzRequest("dynamodb:" + switch (op.getKey()) {
            case "Put" -> "PutItem";
            case "Update" -> "UpdateItem";
            case "Delete" -> "DeleteItem";
            case "ConditionCheck" -> "ConditionCheckItem";
            default -> "GetItem";
          }, table(op.getValue().path("TableName").asText()))));
        }
        if (out.isEmpty()) {
          out.add(new AuthzRequest("dynamodb:" + operation, "*"));
        }
        return out;
      }

      private String table(String name) {
        return name.startsWith("arn:") ? name : "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
      }

      @Override
      public void deny(HttpExchange exchange, Denial denial) throws IOException {
        jsonError(exchange, 400, "com.amazonaws.dynamodb.v20120810#AccessDeniedException", "AccessDeniedException",
            "application/x-amz-json-1.0", denial);
      }
    };
  }

  /** S3 REST, path-style or {@code <bucket>.localhost}: object reads, writes and deletes, bucket listing. */
  static ServiceProtocol s3() {
    return new ServiceProtocol() {
      @Override
      public List<AuthzRequest> requests(HttpExchange exchange, byte[] body) {
        String path = exchange.getRequestURI().getRawPath();
        String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host")).replaceFirst(":\\d+$", "");
        String bucket;
        String key;
        if (host.endsWith(".localhost")) {
          bucket = host.substring(0, host.length() - ".localhost".length());
          key = path.length() > 1 ? path.substring(1) : "";
        } else {
          String[] parts = path.length() > 1 ? path.substring(1).split("/", 2) : new String[0];
          bucket = parts.length > 0 ? parts[0] : null;
          key = parts.length > 1 ? parts[1] : "";
        }
        key = URLDecoder.decode(key, StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        if (bucket == null || bucket.isEmpty()) {
          return List.of(new AuthzRequest("s3:ListAllMyBuckets", "*"));
        }
        String bucketArn = "arn:aws:s3:::" + bucket;
        if (key.isEmpty()) {
          return List.of(new AuthzRequest(switch (method) {
            case "PUT" -> "s3:CreateBucket";
            case "DELETE" -> "s3:DeleteBucket";
            default -> "s3:ListBucket";
          }, bucketArn));
        }
        return List.of(new AuthzRequest(switch (method) {
          case "PUT", "POST" -> "s3:PutObject";
          case "DELETE" -> "s3:DeleteObject";
          default -> "s3:GetObject";
        }, bucketArn + "/" + key));
      }

      @Override
      public void deny(HttpExchange exchange, Denial denial) throws IOException {
        String requestId = UUID.randomUUID().toString();
        exchange.getResponseHeaders().set("x-amz-request-id", requestId);
        HttpExchanges.send(exchange, 403, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>"
            + xml(denial.message()) + "</Message><RequestId>" + requestId + "</RequestId></Error>");
      }
    };
  }

  /** SES v2 (REST-JSON) {@code SendEmail}: on the identity of the sender's domain. */
  static ServiceProtocol sesV2(String region, String account) {
    return new ServiceProtocol() {
      @Override
      public List<AuthzRequest> requests(HttpExchange exchange, byte[] body) {
        URI uri = exchange.getRequestURI();
        if (!"POST".equals(exchange.getRequestMethod()) || !uri.getPath().equals("/v2/email/outbound-emails")) {
          return List.of();
        }
        String from = json(body).path("FromEmailAddress").asText("");
        String identity = from.replaceFirst("^.*<", "").replaceFirst(">.*$", "");
        identity = identity.contains("@") ? identity.substring(identity.indexOf('@') + 1) : identity;
        return List.of(new AuthzRequest("ses:SendEmail", "arn:aws:ses:" + region + ":" + account + ":identity/" + identity));
      }

      @Override
      public void deny(HttpExchange exchange, Denial denial) throws IOException {
        ObjectNode body = EventJson.mapper().createObjectNode().put("message", denial.message());
        exchange.getResponseHeaders().set("x-amzn-ErrorType", "AccessDeniedException");
        HttpExchanges.send(exchange, 403, "application/json", EventJson.write(body));
      }
    };
  }

  /**
   * Secrets Manager and SSM Parameter Store (JSON 1.1): {@code secretsmanager:<Operation>} on the
   * secret's ARN with its random suffix (resolved by the stand-in), {@code ssm:<Operation>} on each
   * parameter named; listing needs {@code secretsmanager:ListSecrets} on {@code *}.
   */
  static ServiceProtocol secrets(SecretsServer server) {
    return new ServiceProtocol() {
      @Override
      public List<AuthzRequest> requests(HttpExchange exchange, byte[] body) {
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        JsonNode request = json(body);
        if (target.startsWith(SecretsServer.SECRETS_TARGET)) {
          String operation = target.substring(SecretsServer.SECRETS_TARGET.length());
          String id = request.path(operation.equals("CreateSecret") ? "Name" : "SecretId").asText(null);
          return List.of(new AuthzRequest("secretsmanager:" + operation, id == null ? "*" : server.secretArn(id)));
        }
        if (target.startsWith(SecretsServer.SSM_TARGET)) {
          String action = "ssm:" + target.substring(SecretsServer.SSM_TARGET.length());
          List<AuthzRequest> out = new ArrayList<>();
          if (request.has("Name")) {
            out.add(new AuthzRequest(action, server.parameterArn(request.path("Name").asText())));
          }
          request.path("Names").forEach(n -> out.add(new AuthzRequest(action, server.parameterArn(n.asText()))));
          return out.isEmpty() ? List.of(new AuthzRequest(action, "*")) : out;
        }
        return List.of();
      }

      @Override
      public void deny(HttpExchange exchange, Denial denial) throws IOException {
        jsonError(exchange, 400, "AccessDeniedException", "AccessDeniedException", "application/x-amz-json-1.1", denial);
      }
    };
  }

  private static JsonNode json(byte[] body) {
    try {
      return EventJson.mapper().readTree(body);
    } catch (IOException | RuntimeException e) {
      return EventJson.mapper().createObjectNode();
    }
  }

  private static void jsonError(HttpExchange exchange, int status, String type, String errorType, String contentType, Denial denial)
      throws IOException {
    ObjectNode body = EventJson.mapper().createObjectNode().put("__type", type).put("message", denial.message());
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
    HttpExchanges.send(exchange, status, contentType, EventJson.write(body));
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
