package com.example.fanout.local.ses;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SES v2 {@code SendEmail} (REST JSON, {@code POST /v2/email/outbound-emails}): nothing leaves the
 * machine; each e-mail is kept in memory and appended to {@code <data dir>/outbox/emails.jsonl}, so
 * the notifications step of the saga completes locally and its output can be read.
 */
public final class SesServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SesServer.class);
  private static final String SEND_EMAIL = "/v2/email/outbound-emails";

  private final HttpServer server;
  private final HttpContext context;
  private final Path outbox;
  private final List<SentEmail> sent = new CopyOnWriteArrayList<>();

  public SesServer(int port, Path outboxDirectory) {
    try {
      Files.createDirectories(outboxDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + outboxDirectory, e);
    }
    this.outbox = outboxDirectory.resolve("emails.jsonl");
    this.server = HttpExchanges.server(port);
    context = server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<SentEmail> sent() {
    return List.copyOf(sent);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = HttpExchanges.body(exchange);
    if (!"POST".equals(exchange.getRequestMethod()) || !SEND_EMAIL.equals(exchange.getRequestURI().getPath())) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", "NotFoundException");
      HttpExchanges.send(exchange, 404, "application/json",
          "{\"message\":\"the local SES serves SendEmail (POST " + SEND_EMAIL + ") only\"}");
      return;
    }
    JsonNode request;
    try {
      request = EventJson.mapper().readTree(body);
    } catch (IOException e) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", "BadRequestException");
      HttpExchanges.send(exchange, 400, "application/json", "{\"message\":\"request body is not JSON\"}");
      return;
    }
    List<String> to = new ArrayList<>();
    request.path("Destination").path("ToAddresses").forEach(a -> to.add(a.asText()));
    JsonNode simple = request.path("Content").path("Simple");
    String text = simple.path("Body").path("Text").path("Data").asText(simple.path("Body").path("Html").path("Data").asText(null));
    SentEmail email = new SentEmail(UUID.randomUUID().toString(), Instant.now(), request.path("FromEmailAddress").asText(null),
        to, simple.path("Subject").path("Data").asText(null), text);
    sent.add(email);
    synchronized (this) {
      Files.writeString(outbox, EventJson.write(email) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    LOG.info("e-mail kept (not sent) to {}: {}", to, email.subject());
    HttpExchanges.send(exchange, 200, "application/json", "{\"MessageId\":\"" + email.messageId() + "\"}");
  }

  /** Runs {@code filter} before every request (the local IAM check). */
  public void addFilter(Filter filter) {
    context.getFilters().add(filter);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
