package com.example.fanout.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionZipsTest {
  private static final Instant BUILD_TIME = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<String> LIB = List.of("arns-2.57.8.jar", "aws-query-protocol-2.57.8.jar", "aws-xml-protocol-2.57.8.jar",
      "crt-core-2.57.8.jar", "dynamodb-2.57.8.jar", "eventbridge-2.57.8.jar", "s3-2.57.8.jar", "s3-transfer-manager-2.57.8.jar",
      "sqs-2.57.8.jar");

  @TempDir
  Path dir;

  @Test
  void write_shouldWriteOneZipPerSetOfClientsLeftOut_eachWithTheClassesAndTheOtherJars() throws IOException {
    Path target = build(LIB);
    Files.writeString(target.resolve("orders-function.zip"), "an earlier build's zip");

    List<Path> zips = FunctionZips.write(Repo.services(), "orders", dir.resolve("classes"), dir.resolve("lib"), target, BUILD_TIME);

    assertThat(zips).extracting(z -> z.getFileName().toString()).containsExactly("orders-function-without-s3.zip",
        "orders-function-without-eventbridge-sqs.zip", "orders-function-without-eventbridge-s3-sqs.zip");
    assertThat(target.resolve("orders-function.zip")).as("no function runs from it any more").doesNotExist();
    assertThat(entries(target.resolve("orders-function-without-s3.zip"))).containsExactly("com/", "com/example/",
        "com/example/Handler.class", "lib/", "lib/dynamodb-2.57.8.jar", "lib/eventbridge-2.57.8.jar",
        "lib/s3-transfer-manager-2.57.8.jar", "lib/sqs-2.57.8.jar");
    assertThat(entries(target.resolve("orders-function-without-eventbridge-sqs.zip"))).contains("lib/s3-2.57.8.jar", "lib/arns-2.57.8.jar")
        .doesNotContain("lib/eventbridge-2.57.8.jar", "lib/sqs-2.57.8.jar");
    assertThat(entries(target.resolve("orders-function-without-eventbridge-s3-sqs.zip"))).filteredOn(e -> e.startsWith("lib/"))
        .containsExactly("lib/", "lib/dynamodb-2.57.8.jar", "lib/s3-transfer-manager-2.57.8.jar");
  }

  @Test
  void write_shouldGiveTheSameBytes_whenRunTwice() throws IOException {
    Path target = build(LIB);
    Path zip = FunctionZips.write(Repo.services(), "orders", dir.resolve("classes"), dir.resolve("lib"), target, BUILD_TIME).getFirst();
    byte[] first = Files.readAllBytes(zip);

    FunctionZips.write(Repo.services(), "orders", dir.resolve("classes"), dir.resolve("lib"), target, BUILD_TIME);

    assertThat(Files.readAllBytes(zip)).isEqualTo(first);
    try (ZipFile z = new ZipFile(zip.toFile())) {
      assertThat(Collections.list(z.entries())).allSatisfy(e -> assertThat(e.getLastModifiedTime().toInstant().toString())
          .as(e.getName()).startsWith("2026-01-01"));
    }
  }

  @Test
  void write_shouldFail_whenAClientItLeavesOutHasNoJarInTheLib() throws IOException {
    Path target = build(LIB.stream().filter(j -> !j.startsWith("arns-")).toList());

    assertThatThrownBy(() -> FunctionZips.write(Repo.services(), "orders", dir.resolve("classes"), dir.resolve("lib"), target, BUILD_TIME))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("leaves out the s3 client, but")
        .hasMessageContaining("has no arns jar: FunctionPackages.CLIENT_JARS no longer matches the SDK's dependencies");
  }

  private Path build(List<String> jars) throws IOException {
    Files.createDirectories(dir.resolve("classes/com/example"));
    Files.writeString(dir.resolve("classes/com/example/Handler.class"), "class");
    Files.createDirectories(dir.resolve("lib"));
    for (String jar : jars) {
      Files.writeString(dir.resolve("lib").resolve(jar), jar);
    }
    return Files.createDirectories(dir.resolve("target"));
  }

  private static List<String> entries(Path zip) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      return Collections.list(z.entries()).stream().map(ZipEntry::getName).toList();
    }
  }
}
