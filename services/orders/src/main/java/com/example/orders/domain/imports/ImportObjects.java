package com.example.orders.domain.imports;

import java.io.BufferedReader;

/** The imports bucket, as the import sees it. */
public interface ImportObjects {
  /** Streams the object as UTF-8 text. */
  BufferedReader open(String bucket, String key);

  void put(String bucket, String key, String content, String contentType);
}
