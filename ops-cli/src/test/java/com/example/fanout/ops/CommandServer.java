package com.example.fanout.ops;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Runs {@code fanout} command lines in this JVM for the shell shim the runbook test puts on PATH:
 * the shim posts its arguments and its environment (AWS_*, FANOUT_*, ENV), gets the exit code and
 * both output streams back. A JVM per command would cost about two seconds each.
 */
final class CommandServer implements AutoCloseable {
  private final HttpServer server;

  private CommandServer(HttpServer server) {
    this.server = server;
  }

  static CommandServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/run", exchange -> {
      String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      List<String> args = new ArrayList<>();
      Map<String, String> env = new HashMap<>();
      boolean inEnv = false;
      for (String line : request.split("\n", -1)) {
        if (line.equals("ARGS")) {
          continue;
        }
        if (line.equals("ENV")) {
          inEnv = true;
          continue;
        }
        if (!inEnv) {
          args.add(decode(line));
        } else if (!line.isEmpty()) {
          int eq = line.indexOf('=');
          env.put(line.substring(0, eq), decode(line.substring(eq + 1)));
        }
      }
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Fanout.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), env);
      byte[] body = (code + "\n" + encode(out.toString()) + "\n" + encode(err.toString()) + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (var os = exchange.getResponseBody()) {
        os.write(body);
      }
    });
    server.start();
    return new CommandServer(server);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The {@code fanout} shim: bash and curl, nothing else. */
  String shim() {
    return """
        #!/usr/bin/env bash
        # fanout for the runbook test: runs the command line in the test JVM with this shell's environment.
        set -euo pipefail
        req=$(mktemp); resp=$(mktemp); trap 'rm -f "$req" "$resp"' EXIT
        {
          echo ARGS
          for a in "$@"; do printf '%%s' "$a" | base64 -w0; echo; done
          echo ENV
          while IFS= read -r -d '' kv; do
            case ${kv%%%%=*} in
              AWS_*|FANOUT_*|ENV) printf '%%s=' "${kv%%%%=*}"; printf '%%s' "${kv#*=}" | base64 -w0; echo ;;
            esac
          done < <(env -0)
        } > "$req"
        curl -sS --max-time 150 -X POST --data-binary @"$req" -o "$resp" "http://127.0.0.1:%d/run"
        code=$(sed -n 1p "$resp")
        sed -n 2p "$resp" | base64 -d
        sed -n 3p "$resp" | base64 -d >&2
        exit "$code"
        """.formatted(port());
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
  }

  private static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
