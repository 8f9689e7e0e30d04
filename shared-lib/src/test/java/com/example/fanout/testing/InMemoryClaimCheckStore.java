package com.example.fanout.testing;

import com.example.fanout.event.Sha256;
import com.example.fanout.publish.ClaimCheck;
import com.example.fanout.publish.ClaimCheckStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The claim-check store's contract in a map (bucket {@code claims}), for tests that are not about S3. */
public final class InMemoryClaimCheckStore implements ClaimCheckStore {
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();

  @Override
  public ClaimCheck put(String key, byte[] payload) {
    objects.put(key, payload);
    return new ClaimCheck("claims", key, Sha256.hex(payload), payload.length);
  }

  @Override
  public byte[] get(ClaimCheck claim) {
    return objects.get(claim.key());
  }

  /** What is stored, by key. */
  public Map<String, byte[]> objects() {
    return Map.copyOf(objects);
  }
}
