package com.example.fanout.local.servers;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Identify;
import org.apache.pekko.actor.OneForOneStrategy;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.SupervisorStrategy;
import org.apache.pekko.japi.pf.DeciderBuilder;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.ElasticMQError;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.CreateQueueMetadata;
import org.elasticmq.persistence.sql.DB$;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.collection.immutable.List$;
import scala.concurrent.Await;
import scala.jdk.javaapi.CollectionConverters;
import scala.util.Left;
import scalikejdbc.ConnectionPool$;
import scalikejdbc.ConnectionPoolSettings;

/**
 * ElasticMQ, embedded: a real SQS endpoint (JSON and query protocols) on a free localhost port.
 * Owns its actor system so that stopping (or a failed bind) leaves no thread behind.
 *
 * <h2>Keeping the queues in a directory</h2>
 * {@link #start(int, Path)} with a directory keeps queues and messages there, so that the server
 * can be stopped and started again on the same directory. It is ElasticMQ's own SQL persistence
 * (module {@code elasticmq-persistence-sql}, wired as ElasticMQ's {@code ElasticMQServer} wires it:
 * a {@code SqlQueuePersistenceActor} listens to the queue manager's events) writing to the H2 file
 * database {@code <directory>/elasticmq.mv.db}. A message change (send, receive, visibility change,
 * delete, DLQ move) is written before the SQS call that made it is answered; a queue change
 * (create, delete, attributes, tags) just after, and {@link #close()} waits for those. A start on
 * the directory restores every queue, then its messages, before it serves its first request.
 * {@link #start(int)} (or a {@code null} directory) is the in-memory server, as before.
 *
 * <p>What a stop and start on the same directory keeps, as ElasticMQ 1.7.1 stores it:
 * <ul>
 *   <li>Queues with their attributes: VisibilityTimeout, DelaySeconds, ReceiveMessageWaitTimeSeconds,
 *       RedrivePolicy (a DLQ is restored before its source queues), FIFO and content-based
 *       deduplication, tags, CreatedTimestamp and LastModifiedTimestamp: GetQueueAttributes answers
 *       the same after the restart. MessageRetentionPeriod, MaximumMessageSize and Policy are
 *       accepted and ignored by ElasticMQ in memory too, so there is nothing of them to keep.
 *   <li>Every message not deleted: body, message attributes (String, Number, Binary, custom types),
 *       the AWSTraceHeader system attribute, SentTimestamp, ApproximateFirstReceiveTimestamp,
 *       delay, FIFO group id, deduplication id and sequence number, the DLQ's source queue.
 *   <li>Receive counts: ApproximateReceiveCount goes on from its stored value (a message received
 *       once before the stop shows 2 on its next receive), so the redrive to the DLQ after
 *       maxReceiveCount counts the receives before the stop too.
 *   <li>A message in flight (received, not deleted) when the server stopped stays in flight: its
 *       visibility deadline is stored as a wall-clock time, so it is received again once the
 *       visibility timeout of that receive has run out, counted from the receive (time spent
 *       stopped included), not from the restart. Its receipt handle stays valid: DeleteMessage and
 *       ChangeMessageVisibility with the handle received before the stop work after it.
 * </ul>
 * Not kept: PurgeQueue (ElasticMQ 1.7.1 tells its persistence nothing of a purge: purged messages
 * come back at the next start); deleted messages in the FIFO deduplication history (rebuilt from the
 * messages still stored, so one deleted before the stop and sent again with its deduplication id
 * within the 5 minutes, after the restart, is accepted again); the FIFO sequence number counter
 * (starts again from 0 in a new JVM); the ReceiveRequestAttemptId cache; message move tasks.
 * Restored FIFO messages are ordered within their group by their next delivery time (their send
 * time, to the millisecond, if never received) instead of their send order.
 *
 * <p>Every change is a statement to H2 (an INSERT per message sent, an UPDATE per message received),
 * a little more work per call; on a 2-core machine 1,000 sequential SendMessage calls through the
 * Java SDK took 3.5 to 5 s either way, the H2 writes adding at most about 15 %, within the noise.
 * A killed JVM can lose the changes of its last half second (H2 writes to its file in the
 * background); {@link #close()} writes everything and closes the database.
 *
 * <p>One directory serves one server: a start on a directory that another process's server holds
 * fails at once (H2's file lock). ElasticMQ's SQL persistence goes through scalikejdbc's JVM-wide
 * default connection pool, so one JVM runs one persisted ElasticMq at a time (and any number in
 * memory).
 */
public final class ElasticMq implements AutoCloseable {
  private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  private final ActorSystem actorSystem;
  private final SQSRestServer server;
  private final URI endpoint;
  private final SqlStore store;
  private final ActorRef persistence;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Pekko HTTP parses every request header into its model class by default. SigV4's
   * {@code Authorization} header ({@code Credential=AKID/date/region/sqs/aws4_request, ...}) is not
   * valid {@code auth-param} syntax, so each SDK request failed that parse and Pekko re-ran it to
   * trace the error before keeping the header raw: about 3 % of the pipeline's CPU and a hundred
   * exceptions a second. ElasticMQ reads headers by name, which raw headers serve.
   */
  private static Config config() {
    return ConfigFactory.parseString("pekko.http.server.parsing.modeled-header-parsing = off").withFallback(ConfigFactory.load());
  }

  private ElasticMq(ActorSystem actorSystem, SQSRestServer server, int port, SqlStore store, ActorRef persistence) {
    this.actorSystem = actorSystem;
    this.server = server;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
    this.store = store;
    this.persistence = persistence;
  }

  /**
   * Starts in memory on {@code port} (0 picks a free one) and returns once it accepts requests. No
   * server address is set: ElasticMQ then builds QueueUrls from the port it bound, so an SDK that
   * follows the QueueUrl (the JavaScript SDK v3 does by default) reaches this server even on a free
   * port.
   */
  public static ElasticMq start(int port) {
    return start(port, null);
  }

  /**
   * Starts on {@code port} (0 picks a free one) with its queues and messages kept in
   * {@code storeDirectory} (created if missing; {@code null}: in memory, as {@link #start(int)}),
   * and returns once every stored queue and message is restored and the server accepts requests.
   *
   * @throws IllegalStateException if the directory is held by another running server, or this JVM
   *     already runs a persisted ElasticMq, or the server cannot start
   */
  public static ElasticMq start(int port, Path storeDirectory) {
    SqlStore store = storeDirectory == null ? null : SqlStore.open(storeDirectory);
    ActorSystem system;
    try {
      system = ActorSystem.create("elasticmq", config());
    } catch (RuntimeException e) {
      if (store != null) {
        store.close();
      }
      throw e;
    }
    try {
      ActorRef persistence = store == null ? null : ResumingParent.start(system, Props.create(SqlQueuePersistenceActor.class,
          () -> new SqlQueuePersistenceActor(store.config, List$.MODULE$.<CreateQueueMetadata>empty())), "sql-persistence");
      ActorRef queueManager = system.actorOf(Props.create(QueueManagerActor.class,
          () -> new QueueManagerActor(new NowProvider(), SQSRestServerBuilder.sqsLimits(), Option.apply(persistence))),
          "queue-manager");
      if (persistence != null) {
        restore(persistence, queueManager, store.directory);
      }
      SQSRestServer server = SQSRestServerBuilder.withActorSystem(system)
          .withQueueManagerActor(queueManager)
          .withInterface("127.0.0.1")
          .withPort(port)
          .start();
      int bound = server.waitUntilStarted().localAddress().getPort();
      return new ElasticMq(system, server, bound, store, persistence);
    } catch (RuntimeException e) {
      try {
        terminate(system);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      } finally {
        if (store != null) {
          store.close();
        }
      }
      throw new IllegalStateException("ElasticMQ could not start on port " + port
          + (store == null ? "" : " with its store " + store.directory) + ": " + e.getMessage(), e);
    }
  }

  /** What ElasticMQServer does before serving: the persistence actor re-creates every stored queue, then its messages. */
  private static void restore(ActorRef persistence, ActorRef queueManager, Path directory) {
    Object reply = await(Patterns.ask(persistence, new QueueEvent.Restore(queueManager), RESTORE_TIMEOUT),
        "restoring the queues stored in " + directory);
    if (reply instanceof Left<?, ?> left) { // Either[List[ElasticMQError], OperationStatus]
      throw new IllegalStateException("cannot restore the queues stored in " + directory + ": "
          + CollectionConverters.asJava((scala.collection.immutable.List<?>) left.value()).stream()
              .map(error -> ((ElasticMQError) error).queueName() + ": " + ((ElasticMQError) error).message())
              .collect(Collectors.joining("; ")));
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** ElasticMQ's persistence actor (null in memory), for tests that make it fail. */
  ActorRef persistence() {
    return persistence;
  }

  /** Queue URLs use this host and port, so clients can follow them. */
  public String queueUrl(String queueName) {
    return endpoint + "/000000000000/" + queueName;
  }

  /**
   * Stops serving, lets the store write what it was told (queue creations and attribute changes
   * reach it after their response), stops every actor and closes the store's database, so a next
   * start on the same directory, from this process or another, can open it. Closing twice is
   * closing once.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.stopAndWait();
    } finally {
      try {
        if (persistence != null) {
          // Messages are processed in order: the answer to Identify comes after every event sent before it.
          await(Patterns.ask(persistence, new Identify("drain"), DRAIN_TIMEOUT), "writing the last queue changes");
        }
      } finally {
        try {
          terminate(actorSystem);
        } finally {
          if (store != null) {
            store.close();
          }
        }
      }
    }
  }

  private static Object await(java.util.concurrent.CompletionStage<Object> reply, String what) {
    try {
      return reply.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("failed " + what + ": " + e.getCause(), e.getCause());
    }
  }

  private static void terminate(ActorSystem system) {
    try {
      Await.result(system.terminate(), scala.concurrent.duration.Duration.fromNanos(Duration.ofSeconds(10).toNanos()));
    } catch (Exception e) {
      throw new IllegalStateException("ElasticMQ actor system did not stop", e);
    }
  }

  /**
   * Supervises ElasticMQ's persistence actor so that a failure handling one event resumes it. The
   * default (restart) gives a new actor whose map of queues is empty until the next restore: it
   * then answers every later event as written and writes none of them, so a restart of the server
   * would lose every message sent since. Under load ElasticMQ 1.7.1 can fail that way: it hands the
   * persistence actor a message the queue actor is still changing, and reading its delivery
   * receipts throws {@code ConcurrentModificationException}. Resumed, only that event's write is
   * missed; the message's next change (receive, visibility, delete) writes it again.
   */
  static final class ResumingParent extends AbstractActor {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticMq.class);
    private static final String CHILD = "child";

    private final ActorRef child;

    private ResumingParent(Props childProps, String childName) {
      this.child = getContext().actorOf(childProps, childName);
    }

    /** Starts {@code childProps} under a resuming parent and returns the child. */
    static ActorRef start(ActorSystem system, Props childProps, String childName) {
      ActorRef parent = system.actorOf(Props.create(ResumingParent.class, () -> new ResumingParent(childProps, childName)),
          childName + "-supervisor");
      return (ActorRef) ElasticMq.await(Patterns.ask(parent, CHILD, Duration.ofSeconds(10)), "starting " + childName);
    }

    @Override
    public SupervisorStrategy supervisorStrategy() {
      return new OneForOneStrategy(DeciderBuilder.matchAny(failure -> {
        LOG.error("ElasticMQ's store missed one change ({}); it carries on with the next", failure.toString());
        return SupervisorStrategy.resume();
      }).build());
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder().matchEquals(CHILD, m -> getSender().tell(child, getSelf())).build();
    }
  }

  /**
   * The H2 database of one store directory, reached by ElasticMQ's SQL persistence through
   * scalikejdbc's default connection pool, which is JVM-wide: hence one open store per JVM.
   */
  private static final class SqlStore {
    private static final String DATABASE_NAME = "elasticmq";
    /** H2's "Database may be already in use": its file lock is held by another process. */
    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final AtomicReference<Path> OPEN = new AtomicReference<>();
    private static final ConnectionPool$ POOLS = ConnectionPool$.MODULE$;

    private final Path directory;
    private final SqlQueuePersistenceConfig config;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqlStore(Path directory, SqlQueuePersistenceConfig config) {
      this.directory = directory;
      this.config = config;
    }

    static SqlStore open(Path storeDirectory) {
      Path directory = storeDirectory.toAbsolutePath().normalize();
      if (directory.toString().contains(";")) {
        throw new IllegalArgumentException("an ElasticMQ store directory cannot contain ';' (H2 URL): " + directory);
      }
      if (!OPEN.compareAndSet(null, directory)) {
        throw new IllegalStateException("ElasticMQ cannot keep its queues in " + directory + ": this JVM already runs a"
            + " persisted ElasticMQ on " + OPEN.get() + " (ElasticMQ's SQL persistence has one connection pool per JVM)");
      }
      try {
        Files.createDirectories(directory);
        String url = "jdbc:h2:file:" + directory.resolve(DATABASE_NAME);
        SqlQueuePersistenceConfig config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, "", "", false);
        // ElasticMQ points scalikejdbc's default pool at the first config it sees in this JVM and never again;
        // close() removes that pool, so every later store adds its own.
        DB$.MODULE$.initializeSingleton(config);
        if (!POOLS.isInitialized(POOLS.DEFAULT_NAME())) {
          ConnectionPoolSettings defaults = POOLS.singleton$default$4();
          POOLS.singleton(url, "", "", defaults, POOLS.singleton$default$5(url, "", "", defaults));
        }
        SqlStore store = new SqlStore(directory, config);
        store.check();
        return store;
      } catch (IOException | RuntimeException e) {
        POOLS.close(POOLS.DEFAULT_NAME());
        OPEN.set(null);
        if (e instanceof IllegalStateException) {
          throw (IllegalStateException) e;
        }
        throw new IllegalStateException("ElasticMQ cannot keep its queues in " + directory + ": " + e, e);
      }
    }

    /** Opens the database now, so that a locked or unreadable store fails the start and not the persistence actor. */
    private void check() {
      try (Connection connection = POOLS.borrow(POOLS.DEFAULT_NAME())) {
        if (!connection.getMetaData().getURL().equals(config.uri())) {
          throw new IllegalStateException("scalikejdbc's default pool points at " + connection.getMetaData().getURL()
              + ", not at " + config.uri());
        }
      } catch (SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
          if (t instanceof SQLException sql && sql.getErrorCode() == DATABASE_ALREADY_OPEN) {
            throw new IllegalStateException("ElasticMQ store " + directory + " is in use by another running server (H2"
                + " file lock on " + DATABASE_NAME + ".mv.db): stop it, or give this one another directory", e);
          }
        }
        throw new IllegalStateException("ElasticMQ cannot open its store " + directory + ": " + e.getMessage(), e);
      }
    }

    /** Closes the database (its file lock goes with it) and the pool, and frees this JVM's one store. */
    void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try (Connection connection = POOLS.borrow(POOLS.DEFAULT_NAME());
           Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      } catch (SQLException | RuntimeException e) {
        // Closing the pool below closes every connection, and H2 the database with the last one.
      } finally {
        POOLS.close(POOLS.DEFAULT_NAME());
        OPEN.set(null);
      }
    }
  }
}
