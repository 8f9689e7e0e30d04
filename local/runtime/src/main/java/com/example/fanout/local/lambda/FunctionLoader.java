package com.example.fanout.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.example.fanout.local.xray.LambdaTracing;
import com.example.fanout.manifest.ServiceManifest.FunctionSpec;
import com.example.fanout.runtime.FunctionEnvironment;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads handler classes named by the manifests from the class path. A class that is absent, is not
 * a {@code RequestHandler} or fails its cold start is skipped with a warning: the rest of the
 * platform runs without it.
 */
public final class FunctionLoader {
  private static final Logger LOG = LoggerFactory.getLogger(FunctionLoader.class);

  private final ClassLoader classLoader;
  private final LambdaTracing tracing;
  private final List<String> warnings = new ArrayList<>();

  public FunctionLoader(ClassLoader classLoader, LambdaTracing tracing) {
    this.classLoader = classLoader;
    this.tracing = tracing;
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  @SuppressWarnings("unchecked")
  public Optional<LocalFunction> load(String functionName, String handlerClass, FunctionSpec spec, Map<String, String> environment) {
    Class<?> type;
    try {
      type = Class.forName(handlerClass, false, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      return warn(functionName + ": handler " + handlerClass + " is not on the class path; its trigger is provisioned but nothing consumes it");
    }
    if (!RequestHandler.class.isAssignableFrom(type)) {
      return warn(functionName + ": " + handlerClass + " does not implement com.amazonaws.services.lambda.runtime.RequestHandler; skipped");
    }
    Map<String, String> withLambda = new LinkedHashMap<>(tracing.environment(functionName));
    withLambda.putAll(environment);
    try {
      Object handler = FunctionEnvironment.with(withLambda, () -> construct(type));
      LOG.info("{}: loaded {}", functionName, handlerClass);
      return Optional.of(new LocalFunction(functionName, (RequestHandler<Object, Object>) handler, spec, withLambda, tracing));
    } catch (RuntimeException e) {
      LOG.warn("{}: cold start of {} failed", functionName, handlerClass, e);
      return warn(functionName + ": cold start of " + handlerClass + " failed: " + e);
    }
  }

  private static Object construct(Class<?> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(e.getCause().toString(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("needs a public no-argument constructor: " + e, e);
    }
  }

  private Optional<LocalFunction> warn(String message) {
    warnings.add(message);
    LOG.warn(message);
    return Optional.empty();
  }
}
