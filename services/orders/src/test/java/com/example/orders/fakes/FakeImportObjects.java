package com.example.orders.fakes;

import com.example.orders.domain.imports.ImportObjects;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/** A bucket in a map: s3://bucket/key to text. */
public class FakeImportObjects implements ImportObjects {
  private final Map<String, String> objects = new LinkedHashMap<>();

  public FakeImportObjects with(String bucket, String key, String content) {
    objects.put(bucket + "/" + key, content);
    return this;
  }

  public String get(String bucket, String key) {
    String content = objects.get(bucket + "/" + key);
    if (content == null) {
      throw new NoSuchElementException("no object s3://" + bucket + "/" + key + "; have " + objects.keySet());
    }
    return content;
  }

  public boolean has(String bucket, String key) {
    return objects.containsKey(bucket + "/" + key);
  }

  @Override
  public BufferedReader open(String bucket, String key) {
    return new BufferedReader(new StringReader(get(bucket, key)));
  }

  @Override
  public void put(String bucket, String key, String content, String contentType) {
    objects.put(bucket + "/" + key, content);
  }
}
