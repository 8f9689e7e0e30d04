package com.example.fanout.local.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * dynalite (DynamoDB on LevelDB, npm, Apache-2.0) as a child node process on a free port. It serves
 * conditional writes; it has no TransactWriteItems, UpdateTimeToLive or Streams. The child exits
 * when this JVM closes its stdin, so a killed JVM leaves no server behind.
 *
 * <p>In memory by default. {@link #start(Path, Path)} with a directory keeps tables (with their key
 * schemas, indexes, throughput and tags) and items there, through dynalite's {@code path} option:
 * a LevelDB database (dynalite's {@code level}, that is {@code classic-level} and its prebuilt
 * binary in node_modules), so a stop and a start on the same directory find them again. Every write
 * is in LevelDB's log file before dynalite answers it, so even a killed child loses none;
 * {@link #close()} closes the database. A table that was being created, updated or deleted at the
 * stop would keep that status (with this server's 0 ms delays the window is a few milliseconds).
 */
public final class Dynalite implements AutoCloseable {
  // Tables become ACTIVE at once. argv: dynalite's directory, then the store directory (none: in memory). With a
  // store, the LevelDB is opened (and closed) once before dynalite opens it, so that a store held by another
  // process fails the start with LevelDB's reason. When stdin ends (the JVM closed it or died), the server closes
  // its connections and its LevelDB, which releases the directory's LOCK, and the process exits.
  private static final String LAUNCHER = String.join("\n",
      "const [modulePath, storePath] = process.argv.slice(1);",
      "let server;",
      "process.stdin.on('end', () => {",
      "  if (!server) process.exit(0);",
      "  setTimeout(() => process.exit(1), 5000).unref();",
      "  server.closeAllConnections();",
      "  server.close(err => process.exit(err ? 1 : 0));",
      "});",
      "process.stdin.resume();",
      "async function checkStore() {",
      "  if (!storePath) return;",
      "  const { Level } = require(require.resolve('level', { paths: [modulePath] }));",
      "  const db = new Level(storePath, { valueEncoding: 'json' });",
      "  try {",
      "    await db.open();",
      "  } catch (e) {",
      "    console.log('FAILED ' + (e.cause || e).message);",
      "    process.exit(2);",
      "  }",
      "  await db.close();",
      "}",
      "checkStore().then(() => {",
      "  const dynalite = require(modulePath);",
      "  server = dynalite({createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: storePath || undefined});",
      "  server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));",
      "});");

  private final Process process;
  private final URI endpoint;

  private Dynalite(Process process, int port) {
    this.process = process;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
  }

  /** Starts dynalite in memory from the repository's node_modules (installed by `make deps` from the lockfile). */
  public static Dynalite start() {
    return start(RepoPaths.root());
  }

  /** Starts dynalite in memory from {@code repoRoot}'s node_modules. */
  public static Dynalite start(Path repoRoot) {
    return start(repoRoot, null);
  }

  /**
   * Starts dynalite from {@code repoRoot}'s node_modules with its tables and items kept in
   * {@code storeDirectory} (created if missing; {@code null}: in memory), dynalite's LevelDB
   * database directory: the directory is dynalite's alone, one running server at a time.
   *
   * @throws IllegalStateException if node or dynalite cannot start, or the directory is held by
   *     another running dynalite (LevelDB's LOCK)
   */
  public static Dynalite start(Path repoRoot, Path storeDirectory) {
    Path module = repoRoot.resolve("node_modules/dynalite");
    if (!Files.isDirectory(module)) {
      throw new IllegalStateException("dynalite is not installed at " + module + "; run `make deps` (npm ci)");
    }
    List<String> command = new ArrayList<>(List.of("node", "-e", LAUNCHER, module.toString()));
    if (storeDirectory != null) {
      Path store = storeDirectory.toAbsolutePath().normalize();
      try {
        Files.createDirectories(store);
      } catch (IOException e) {
        throw new IllegalStateException("cannot create dynalite's store directory " + store + ": " + e, e);
      }
      command.add(store.toString());
    }
    Process process;
    try {
      process = new ProcessBuilder(command)
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
      String reason = e instanceof ExecutionException ? e.getCause().getMessage() : "no port within 20 s";
      throw new IllegalStateException("dynalite did not start"
          + (storeDirectory == null ? "" : " on its store " + storeDirectory.toAbsolutePath().normalize()) + ": " + reason, e);
    }
  }

  private static int readPort(Process process) {
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("FAILED ")) {
          throw new IllegalStateException("cannot open its LevelDB (is another dynalite running on it?): "
              + line.substring("FAILED ".length()));
        }
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

  /**
   * Closes the child's stdin and waits for it to exit: it closes its connections and its LevelDB
   * first, and the exit releases the store directory's LOCK, so a next start on the same directory
   * can follow at once. A child still running after 10 s is killed.
   */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
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
