package com.example.fanout.local.s3;

/** An {@code ObjectCreated:Put} notification's facts. */
public record ObjectCreated(String bucket, String key, long size, String eTag, String sourceIp) {}
