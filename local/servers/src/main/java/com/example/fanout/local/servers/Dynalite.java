package com.example.fanout.local.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * dynalite (DynamoDB in memory, npm, Apache-2.0) as a child node process on a free port. It serves
 * conditional writes; it has no TransactWriteItems, UpdateTimeToLive or Streams. The child exits
 * when this JVM closes its stdin, so a killed JVM leaves no server behind.
 */
public final class Dynalite implements AutoCloseable {
  // Tables become ACTIVE at once; the process dies with its parent (stdin closes).
  private static final String LAUNCHER = String.join("\n",
      "const dynalite = require(process.argv[1]);",
      "const server = dynalite({createTableMs: 0, deleteTableMs: 0, updateTableMs: 0});",
      "server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));",
      "process.stdin.on('end', () => process.exit(0));",
      "process.stdin.resume();");

  private final Process process;
  private final URI endpoint;

  private Dynalite(Process process, int port) {
    this.process = process;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
  }

  /** Starts dynalite from the repository's node_modules (installed by `make deps` from the lockfile). */
  public static Dynalite start() {
    return start(RepoPaths.root());
  }

  public static Dynalite start(Path repoRoot) {
    Path module = repoRoot.resolve("node_modules/dynalite");
    if (!Files.isDirectory(module)) {
      throw new IllegalStateException("dynalite is not installed at " + module + "; run `make deps` (npm ci)");
    }
    Process process;
    try {
      process = new ProcessBuilder("node", "-e", LAUNCHER, module.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start node (is Node.js 20+ installed?): " + e.getMessage(), e);
    }
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> readPort(process));
    try {
      return new Dynalite(process, port.get(20, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while starting dynalite", e);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("dynalite did not start: " + e.getMessage(), e);
    }
  }

  private static int readPort(Process process) {
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("LISTENING ")) {
          int port = Integer.parseInt(line.substring("LISTENING ".length()).trim());
          Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "dynalite-stdout");
          drain.setDaemon(true);
          drain.start();
          return port;
        }
      }
      throw new IllegalStateException("dynalite exited with code " + process.waitFor());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
