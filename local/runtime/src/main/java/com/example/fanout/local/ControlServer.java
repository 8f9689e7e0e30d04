package com.example.fanout.local;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.auth.LocalIssuer;
import com.sun.net.httpserver.HttpExchange;
import com.example.fanout.local.lambda.InvokeApi;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * The runtime's own endpoints: {@code GET /_local/status} (queues and pollers),
 * {@code GET /_local/timeline/{correlationId}} (text, or JSON with {@code ?format=json}),
 * {@code GET /_local/emails} (what functions sent through SES),
 * {@code GET /_local/functions} (every function's timeouts, crashes and errors),
 * {@code GET /_local/alarms} (every alarm's state and the transitions so far),
 * {@code POST /_local/consumers/{consumer}/pause|resume} (disable or enable an event-source mapping) and
 * {@code POST /_local/replay?from=&to=&correlationId=} (archive replay) and the local token issuer
 * under {@code /_local/auth/} ({@link LocalIssuer}), and Lambda's {@code Invoke} for the local
 * functions ({@link InvokeApi}, {@code AWS_ENDPOINT_URL_LAMBDA}).
 */
final class ControlServer implements AutoCloseable {
  private final HttpServer server;
  private final LocalPlatform platform;

  ControlServer(LocalPlatform platform, int port) {
    this.platform = platform;
    this.server = HttpExchanges.server(port);
    server.createContext("/_local/", this::handle);
    server.createContext(LocalIssuer.PATH + "/", exchange -> platform.issuer().handle(exchange));
    InvokeApi lambda = new InvokeApi(name -> platform.functions().get(name));
    server.createContext(InvokeApi.PATH, lambda::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = HttpExchanges.query(exchange.getRequestURI().getRawQuery());
    try {
      if (path.startsWith("/_local/timeline/") && "GET".equals(exchange.getRequestMethod())) {
        String correlationId = path.substring("/_local/timeline/".length());
        if ("json".equals(query.get("format"))) {
          HttpExchanges.send(exchange, 200, "application/json", EventJson.write(platform.timeline().spans(correlationId)));
        } else {
          HttpExchanges.send(exchange, 200, "text/plain; charset=utf-8", platform.timeline().render(correlationId)
              + platform.alarms().during(platform.timeline().spans(correlationId)));
        }
      } else if (path.equals("/_local/emails") && "GET".equals(exchange.getRequestMethod())) {
        HttpExchanges.send(exchange, 200, "application/json", EventJson.write(platform.emails()));
      } else if (path.equals("/_local/functions") && "GET".equals(exchange.getRequestMethod())) {
        HttpExchanges.send(exchange, 200, "application/json", EventJson.write(platform.functionFailures().summaries()));
      } else if (path.equals("/_local/alarms") && "GET".equals(exchange.getRequestMethod())) {
        HttpExchanges.send(exchange, 200, "application/json", EventJson.write(Map.of(
            "alarms", platform.alarms().status(), "transitions", platform.alarms().transitions())));
      } else if (path.equals("/_local/status") && "GET".equals(exchange.getRequestMethod())) {
        HttpExchanges.send(exchange, 200, "application/json", EventJson.write(platform.status()));
      } else if (path.startsWith("/_local/consumers/") && "POST".equals(exchange.getRequestMethod())
          && (path.endsWith("/pause") || path.endsWith("/resume"))) {
        String rest = path.substring("/_local/consumers/".length());
        String consumer = rest.substring(0, rest.lastIndexOf('/'));
        boolean pause = rest.endsWith("/pause");
        var mapping = platform.mapping(consumer);
        if (mapping.isEmpty()) {
          HttpExchanges.send(exchange, 404, "application/json", EventJson.write(Map.of("message", "no running consumer " + consumer)));
        } else {
          if (pause) {
            mapping.get().pause();
          } else {
            mapping.get().resume();
          }
          HttpExchanges.send(exchange, 200, "application/json", EventJson.write(Map.of("consumer", consumer, "paused", pause)));
        }
      } else if (path.equals("/_local/replay") && "POST".equals(exchange.getRequestMethod())) {
        int n = platform.replay(instant(query.get("from")), instant(query.get("to")), query.get("correlationId"));
        HttpExchanges.send(exchange, 200, "application/json", "{\"replayed\":" + n + "}");
      } else {
        HttpExchanges.send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
      }
    } catch (RuntimeException e) {
      HttpExchanges.send(exchange, 400, "application/json", EventJson.write(Map.of("message", e.toString())));
    }
  }

  private static Instant instant(String text) {
    return text == null || text.isBlank() ? null : Instant.parse(text);
  }


  @Override
  public void close() {
    server.stop(0);
  }
}
