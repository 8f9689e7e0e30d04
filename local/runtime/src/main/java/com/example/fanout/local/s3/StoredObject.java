package com.example.fanout.local.s3;

import java.time.Instant;
import java.util.Map;

/** An object's bytes and the metadata S3 returns with it. */
record StoredObject(byte[] content, String eTag, String contentType, Map<String, String> userMetadata, Instant lastModified) {}
