package com.example.fanout.tracing.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Every call of an AWS SDK client as a client span of the caller's current span, as the X-Ray SDK's
 * {@code TracingInterceptor} makes it a subsegment: named by the service (SDK's service name, e.g.
 * {@code SesV2}, {@code DynamoDb}), with the attributes of OpenTelemetry's AWS SDK conventions ({@code rpc.system=aws-api},
 * {@code rpc.service}, {@code rpc.method}, {@code aws.request_id}, the HTTP status), which X-Ray's OTLP
 * path turns into an {@code aws} subsegment. OpenTelemetry's own AWS SDK instrumentation is not served here.
 */
final class AwsSdkSpans implements ExecutionInterceptor {
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("aws.request_id");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  private static final ExecutionAttribute<Span> SPAN = new ExecutionAttribute<>("fanout.otel.span");

  private final Tracer tracer;
  private final boolean priming;

  /** @param priming whether {@code tracer} is priming's: only then are calls under priming's spans traced */
  AwsSdkSpans(Tracer tracer, boolean priming) {
    this.tracer = tracer;
    this.priming = priming;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (!Span.current().getSpanContext().isValid()) {
      return; // outside any record's span (e.g. at start-up), as the X-Ray SDK skips a call without a segment
    }
    if (!priming && Boolean.TRUE.equals(io.opentelemetry.context.Context.current().get(OtelTracer.PRIMING))) {
      return; // a priming invocation's call: priming's own tracer records it, the function's exports nothing
    }
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    Span span = tracer.spanBuilder(service).setSpanKind(SpanKind.CLIENT)
        .setAttribute(RPC_SYSTEM, "aws-api")
        .setAttribute(RPC_SERVICE, service)
        .setAttribute(RPC_METHOD, attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
        .startSpan();
    attributes.putAttribute(SPAN, span);
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    Span span = attributes.getAttribute(SPAN);
    if (span == null) {
      return;
    }
    span.setAttribute(HTTP_STATUS, (long) context.httpResponse().statusCode());
    if (context.response() instanceof AwsResponse response && response.responseMetadata().requestId() != null) {
      span.setAttribute(REQUEST_ID, response.responseMetadata().requestId());
    }
    span.end();
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    Span span = attributes.getAttribute(SPAN);
    if (span == null) {
      return;
    }
    Throwable failure = context.exception();
    if (failure instanceof AwsServiceException aws) {
      span.setAttribute(HTTP_STATUS, (long) aws.statusCode());
      if (aws.requestId() != null) {
        span.setAttribute(REQUEST_ID, aws.requestId());
      }
    }
    span.recordException(failure);
    span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
    span.end();
  }
}
