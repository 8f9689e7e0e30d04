package com.example.fanout.local.app;

import com.example.fanout.local.Main;

/**
 * {@code make run}: the local runtime ({@link Main}, same options) with the reference services'
 * handlers, their local environment, seeded stock and the order-saga demo.
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    Main.run(args, new SagaApp());
  }
}
