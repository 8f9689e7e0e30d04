package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.testing.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Services see the runtime's API only: no internal package, no way to the publisher or the stores. */
class InternalApiTest {
  private static final Pattern INTERNAL = Pattern.compile("com\\.example\\.fanout\\.[a-z.]*internal\\b");

  @Test
  void services_shouldNotNameAnInternalPackage_inTheirCode() throws IOException {
    List<String> offenders;
    try (Stream<Path> files = Files.walk(Repo.services())) {
      offenders = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> f.toString().contains("/src/"))
          .filter(f -> INTERNAL.matcher(read(f)).find())
          .map(f -> Repo.root().relativize(f).toString())
          .toList();
    }

    assertThat(offenders).as("service code naming com.example.fanout.*.internal").isEmpty();
  }

  @Test
  void consumerRuntime_shouldOfferNoGetterOfItsCollaborators_toHandlers() {
    List<String> publicMethods = Arrays.stream(ConsumerRuntime.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()))
        .map(Method::getName).sorted().toList();

    assertThat(publicMethods).containsExactly("builder", "fromEnvironment", "qualifiedName", "service");
  }

  @Test
  void eventConsumer_shouldNotHandItsRuntimeToSubclasses() {
    assertThat(Arrays.stream(EventConsumer.class.getDeclaredMethods())
        .filter(m -> Modifier.isProtected(m.getModifiers()) || Modifier.isPublic(m.getModifiers()))
        .map(Method::getName))
        .doesNotContain("runtime")
        .allSatisfy(name -> assertThat(name).isIn("on", "handleRequest", "prime", "beforeCheckpoint", "afterRestore",
            "registeredEventTypes", "checkRegistrations", "primesHandlers"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
