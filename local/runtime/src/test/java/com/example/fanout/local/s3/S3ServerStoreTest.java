package com.example.fanout.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 stand-in with a store directory: what the SDK wrote is served again by the next server on it. */
class S3ServerStoreTest {
  private static final List<String> KEYS = List.of("a/b/c.csv", "../x", "ü ñ.txt", "..", "/lead//double/", "%2F+&?#.txt");

  @TempDir
  Path store;

  @Test
  void restartedServer_shouldServeTheSameBucketsAndObjects_whenStartedOnTheSameStore() throws Exception {
    Map<String, HeadObjectResponse> heads = new LinkedHashMap<>();
    List<String> bucketsBefore;
    List<String> keysBefore;
    try (S3Server server = new S3Server(0, store); S3Client s3 = client(server)) {
      s3.createBucket(r -> r.bucket("imports-bucket"));
      s3.createBucket(r -> r.bucket("reports.bucket-2"));
      for (String key : KEYS) {
        s3.putObject(r -> r.bucket("imports-bucket").key(key).contentType("text/csv; charset=utf-8")
            .metadata(Map.of("owner", "ada", "source-key", Integer.toString(key.hashCode()))), RequestBody.fromString("body of " + key));
      }
      s3.putObject(r -> r.bucket("imports-bucket").key("a/b/c.csv").contentType("text/csv"), RequestBody.fromString("second version"));
      s3.putObject(r -> r.bucket("imports-bucket").key("deleted.txt"), RequestBody.fromString("soon gone"));
      s3.deleteObject(r -> r.bucket("imports-bucket").key("deleted.txt"));
      s3.putObject(r -> r.bucket("reports.bucket-2").key("daily/2026-01-01.json"), RequestBody.fromBytes(new byte[] {0, 1, 2, (byte) 255}));
      bucketsBefore = s3.listBuckets().buckets().stream().map(Bucket::name).toList();
      keysBefore = s3.listObjectsV2(r -> r.bucket("imports-bucket")).contents().stream().map(S3Object::key).toList();
      for (String key : KEYS) {
        heads.put(key, s3.headObject(r -> r.bucket("imports-bucket").key(key)));
      }
    }
    assertThat(bucketsBefore).containsExactly("imports-bucket", "reports.bucket-2");
    try (Stream<Path> files = Files.list(store.resolve("imports-bucket"))) {
      assertThat(files).as("the deleted object's files").noneMatch(f -> f.getFileName().toString().startsWith(S3Server.keyHash("deleted.txt")));
    }
    assertThat(keysBefore).containsExactlyInAnyOrderElementsOf(KEYS);

    BlockingQueue<ObjectCreated> notified = new LinkedBlockingQueue<>();
    try (S3Server server = new S3Server(0, store); S3Client s3 = client(server)) {
      server.onObjectCreated(notified::add);

      assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).isEqualTo(bucketsBefore);
      assertThat(s3.listObjectsV2(r -> r.bucket("imports-bucket")).contents()).extracting(S3Object::key).isEqualTo(keysBefore);
      for (String key : KEYS) {
        String expected = key.equals("a/b/c.csv") ? "second version" : "body of " + key;
        assertThat(s3.getObjectAsBytes(r -> r.bucket("imports-bucket").key(key)).asUtf8String()).as(key).isEqualTo(expected);
        HeadObjectResponse before = heads.get(key);
        HeadObjectResponse after = s3.headObject(r -> r.bucket("imports-bucket").key(key));
        assertThat(after.eTag()).as(key).isEqualTo(before.eTag());
        assertThat(after.contentType()).as(key).isEqualTo(before.contentType());
        assertThat(after.contentLength()).as(key).isEqualTo(before.contentLength());
        assertThat(after.lastModified()).as(key).isEqualTo(before.lastModified());
        assertThat(after.metadata()).as(key).isEqualTo(before.metadata());
      }
      assertThat(heads.get("../x").metadata()).containsEntry("owner", "ada");
      assertThat(heads.get("a/b/c.csv").contentType()).isEqualTo("text/csv");
      assertThat(heads.get("a/b/c.csv").metadata()).isEmpty();
      assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("imports-bucket").key("deleted.txt")))
          .isInstanceOf(NoSuchKeyException.class);
      assertThat(s3.getObjectAsBytes(r -> r.bucket("reports.bucket-2").key("daily/2026-01-01.json")).asByteArray())
          .containsExactly(0, 1, 2, 255);
      assertThat(notified).as("S3 does not notify again of the objects it had").isEmpty();

      s3.putObject(r -> r.bucket("imports-bucket").key("after-restart.csv"), RequestBody.fromString("new"));
      // The listeners run after the response: the first notification is the new object's, and the only one.
      assertThat(notified.poll(10, TimeUnit.SECONDS)).extracting(ObjectCreated::key).isEqualTo("after-restart.csv");
      assertThat(notified).isEmpty();
    }
    try (S3Server server = new S3Server(0, store)) {
      assertThat(server.keys("imports-bucket")).contains("after-restart.csv").doesNotContain("deleted.txt");
    }
  }

  @Test
  void store_shouldNameFilesByTheKeysHash_soThatNoKeyBecomesAPath() throws Exception {
    Path dir = store.resolve("store");
    try (S3Server server = new S3Server(0, dir); S3Client s3 = client(server)) {
      s3.createBucket(r -> r.bucket("odd-keys"));
      for (String key : KEYS) {
        s3.putObject(r -> r.bucket("odd-keys").key(key), RequestBody.fromString(key));
      }
      assertThat(server.keys("odd-keys")).containsExactlyInAnyOrderElementsOf(KEYS);
    }

    try (Stream<Path> all = Files.walk(store)) {
      List<Path> files = all.filter(Files::isRegularFile).toList();
      assertThat(files).hasSize(2 * KEYS.size()).allSatisfy(f -> {
        assertThat(f.getParent()).isEqualTo(dir.resolve("odd-keys"));
        assertThat(f.getFileName().toString()).matches("[0-9a-f]{64}(\\.json|\\.[0-9a-f]{32}\\.data)");
      });
    }
    assertThat(store.resolve("x")).doesNotExist();
    assertThat(dir.resolve("x")).doesNotExist();
    String sidecar = Files.readString(dir.resolve("odd-keys").resolve(S3Server.keyHash("../x") + ".json"));
    assertThat(sidecar).contains("\"key\":\"../x\"");
  }

  @Test
  void restart_shouldRemoveWhatAnInterruptedWriteLeft_andKeepTheObjectItReplaced() throws Exception {
    try (S3Server server = new S3Server(0, store); S3Client s3 = client(server)) {
      s3.createBucket(r -> r.bucket("crashy"));
      s3.putObject(r -> r.bucket("crashy").key("k.txt"), RequestBody.fromString("whole"));
    }
    Path bucket = store.resolve("crashy");
    // A crash while writing the new bytes (a temporary file), and one after they were moved into place but
    // before the metadata naming them was: the old object stays, the leftovers go.
    Path temporary = Files.writeString(bucket.resolve(".tmp-123456.tmp"), "who");
    Path unnamed = Files.writeString(bucket.resolve(S3Server.keyHash("k.txt") + ".0123456789abcdef0123456789abcdef.data"), "newer");

    try (S3Server server = new S3Server(0, store); S3Client s3 = client(server)) {
      assertThat(s3.getObjectAsBytes(r -> r.bucket("crashy").key("k.txt")).asUtf8String()).isEqualTo("whole");
      assertThat(server.keys("crashy")).containsExactly("k.txt");
    }
    assertThat(temporary).doesNotExist();
    assertThat(unnamed).doesNotExist();
  }

  @Test
  void damagedObject_shouldStopTheStart_namingTheFile() throws Exception {
    try (S3Server server = new S3Server(0, store); S3Client s3 = client(server)) {
      s3.createBucket(r -> r.bucket("damaged"));
      s3.putObject(r -> r.bucket("damaged").key("k.txt"), RequestBody.fromString("whole"));
    }
    Path bytes;
    try (Stream<Path> files = Files.list(store.resolve("damaged"))) {
      bytes = files.filter(f -> f.toString().endsWith(".data")).findFirst().orElseThrow();
    }
    Files.writeString(bytes, "whom");

    assertThatThrownBy(() -> new S3Server(0, store)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(bytes.toString()).hasMessageContaining("ETag");
  }

  @Test
  void bucketNames_shouldBeValidS3Names_whenKeptInAStore() throws Exception {
    try (S3Server server = new S3Server(0, store); S3Client s3 = client(server)) {
      assertThatThrownBy(() -> server.createBucket("..")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> server.createBucket("Upper_Case")).isInstanceOf(IllegalArgumentException.class);
      // The SDK refuses such names before sending them; a plain HTTP client does not.
      for (String name : List.of("a..b", "Upper_Case", "192.168.1.1", "%2E%2E")) {
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/" + name))
            .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(name).isEqualTo(400);
        assertThat(put.body()).as(name).contains("<Code>InvalidBucketName</Code>");
      }
      server.createBucket("fine-name.1");
      assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).containsExactly("fine-name.1");
    }
    assertThat(store.resolve("fine-name.1")).isDirectory();
    assertThat(S3Server.validBucketName("t-shop-imports-000000000000")).isTrue();
  }

  @Test
  void defaultConstructor_shouldKeepNothing() throws Exception {
    try (S3Server server = new S3Server(0); S3Client s3 = client(server)) {
      s3.createBucket(r -> r.bucket("memory-only"));
      s3.putObject(r -> r.bucket("memory-only").key("k"), RequestBody.fromString("v"));
    }
    try (S3Server server = new S3Server(0, null); S3Client s3 = client(server)) {
      assertThat(s3.listBuckets().buckets()).isEmpty();
      s3.createBucket(r -> r.bucket("still-memory-only"));
    }
    try (S3Server server = new S3Server(0, store); S3Client s3 = client(server)) {
      assertThat(s3.listBuckets().buckets()).isEmpty();
      assertThatThrownBy(() -> s3.listObjectsV2(r -> r.bucket("memory-only"))).isInstanceOf(NoSuchBucketException.class);
    }
    try (Stream<Path> files = Files.list(store)) {
      assertThat(files).isEmpty();
    }
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static S3Client client(S3Server server) {
    return S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }
}
