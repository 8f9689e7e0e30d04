package com.example.fanout.publish;

/**
 * Where payloads too large for the chain are kept: the event then carries a reference (the claim
 * check) and the consumer runtime fetches the payload before the handler sees the event.
 */
public interface ClaimCheckStore {
  /** Stores the payload under a key unique to the event and returns where it is. */
  ClaimCheck put(String key, byte[] payload);

  byte[] get(ClaimCheck claim);
}
