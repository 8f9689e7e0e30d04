package com.example.payments.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.runtime.AwsClients;
import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The zip leaves the SSM client out (it is provided in the POM). Loaded from this module's class
 * path without those jars, as in the zip: the Secrets Manager path still links and reads a key, and
 * choosing SSM fails at init saying what to change.
 */
class ProviderApiKeyWithoutSsmTest {
  @Test
  void theZipsClassPath_shouldLinkTheKeyWithoutSsm_andRefuseTheSsmStoreWithWhatToDo() throws Exception {
    try (URLClassLoader zipLike = new URLClassLoader(classPathWithoutSsm(), ClassLoader.getPlatformClassLoader())) {
      assertThatCode(() -> AwsClients.requirePackaged(ProviderApiKey.class, "this test's own class path has SSM",
          ProviderApiKey.SSM_CLASSES.toArray(String[]::new))).doesNotThrowAnyException();
      assertThatThrownBy(() -> Class.forName(ProviderApiKey.SSM_CLASSES.get(0), false, zipLike))
          .as("the SSM client is hidden").isInstanceOf(ClassNotFoundException.class);

      Class<?> keyClass = Class.forName(ProviderApiKey.class.getName(), true, zipLike);
      Class<?> mapProvider = Class.forName(ProviderApiKeyTest.MapProvider.class.getName(), true, zipLike);
      Object provider = constructor(mapProvider).newInstance(Map.of("/fanout/payments/provider", " sk_live_1 "));
      Object key = keyClass.getConstructors()[0].newInstance(provider, "/fanout/payments/provider");
      assertThat(keyClass.getMethod("get").invoke(key)).isEqualTo("sk_live_1");

      assertThatThrownBy(() -> {
        try {
          keyClass.getMethod("fromSsm", String.class).invoke(null, "/fanout/payments/provider");
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("built without the SSM client")
          .hasMessageContaining("services/payments/pom.xml")
          .hasMessageContaining("ssm:GetParameter on /fanout/payments/provider");
    }
  }

  private static Constructor<?> constructor(Class<?> type) throws NoSuchMethodException {
    Constructor<?> c = type.getDeclaredConstructor(Map.class);
    c.setAccessible(true);
    return c;
  }

  /** This JVM's class path, less the jars of the SDK's SSM client and Powertools' SSM provider. */
  private static URL[] classPathWithoutSsm() {
    List<String> entries = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).toList();
    List<String> hidden = entries.stream().filter(e -> isSsmJar(Path.of(e).getFileName().toString())).toList();
    assertThat(hidden).as("the SSM jars on the test class path").hasSize(2);
    return entries.stream().filter(e -> !hidden.contains(e)).map(ProviderApiKeyWithoutSsmTest::url).toArray(URL[]::new);
  }

  private static boolean isSsmJar(String fileName) {
    return fileName.startsWith("ssm-2.") || fileName.startsWith("powertools-parameters-ssm-");
  }

  private static URL url(String entry) {
    try {
      return Path.of(entry).toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(entry, e);
    }
  }
}
