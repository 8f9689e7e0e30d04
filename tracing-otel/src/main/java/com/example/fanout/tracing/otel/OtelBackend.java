package com.example.fanout.tracing.otel;

import com.example.fanout.publish.TraceHeaderSource;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.tracing.Tracer;
import com.example.fanout.tracing.TracerBackend;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Clock;

/**
 * {@code FANOUT_TRACER=otel}: spans exported over OTLP/HTTP (protobuf) to
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, else {@code OTEL_EXPORTER_OTLP_ENDPOINT}{@code /v1/traces},
 * else {@code http://localhost:4318/v1/traces} (the collector of the ADOT Lambda layer, which sends
 * them on to X-Ray); the local runtime sets the first to its OTLP receiver. Service name: the
 * function's name.
 */
public final class OtelBackend implements TracerBackend {
  static final String DEFAULT_ENDPOINT = "http://localhost:4318";
  private static final java.util.concurrent.ConcurrentMap<String, SdkTracerProvider> PROVIDERS =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public String name() {
    return "otel";
  }

  @Override
  public Tracer fromEnvironment() {
    String endpoint = FunctionEnvironment.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        .orElseGet(() -> FunctionEnvironment.get("OTEL_EXPORTER_OTLP_ENDPOINT").orElse(DEFAULT_ENDPOINT) + "/v1/traces");
    String service = FunctionEnvironment.get("AWS_LAMBDA_FUNCTION_NAME")
        .orElseGet(() -> FunctionEnvironment.get("POWERTOOLS_SERVICE_NAME").orElse("fanout"));
    return new OtelTracer(provider(endpoint, service), FunctionEnvironment.inFunction(),
        TraceHeaderSource.lambdaEnvironment());
  }

  /**
   * One provider per function (endpoint and service name): the tracers a function builds (its consumer
   * runtime's, its SDK clients') share it, so flushing at the end of a record's span exports the spans
   * of the record's SDK calls too, before Lambda may freeze the process.
   */
  static SdkTracerProvider provider(String endpoint, String service) {
    return PROVIDERS.computeIfAbsent(endpoint + " " + service, key -> newProvider(endpoint, service));
  }

  /** A provider of its own, not shared: SnapStart priming's, shut down once priming is done. */
  static SdkTracerProvider newProvider(String endpoint, String service) {
    return SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.builder()
            .put("service.name", service).put("cloud.provider", "aws").put("faas.name", service).build())))
        .setIdGenerator(new XRayIdGenerator(Clock.systemUTC()))
        .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build()).build())
        .build();
  }
}
