package com.example.fanout.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The local runtime's control endpoint ({@code /_local/...}), named by {@code FANOUT_LOCAL_CONTROL_URL}. */
final class LocalControl {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  LocalControl(URI base) {
    this.base = base;
  }

  String get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(TIMEOUT).GET().build());
  }

  String post(String pathAndQuery) {
    return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private String send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new OpsException(Fanout.FAILED, request.method() + " " + request.uri() + " answered "
            + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new OpsException(Fanout.FAILED, "the local runtime does not answer at " + base
          + " (is `make run` running? FANOUT_LOCAL_CONTROL_URL is the `control` line it prints): " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpsException(Fanout.FAILED, "interrupted");
    }
  }
}
