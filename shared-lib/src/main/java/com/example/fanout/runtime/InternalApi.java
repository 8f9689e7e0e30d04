package com.example.fanout.runtime;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Public only because the runtime's own packages need it across package boundaries (like the AWS
 * SDK's {@code @SdkInternalApi}): not for services, may change without notice. Services use
 * {@code EventConsumer}, {@code HandlerContext}, {@code ConsumerRuntime.builder()/fromEnvironment()},
 * {@code FunctionRuntime} and {@code AwsClients}; {@code InternalApiTest} fails the build when a
 * service's code names an {@code internal} package.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface InternalApi {}
