package com.example.fanout.local.testing;

import com.example.fanout.runtime.FunctionEnvironment;

final class FunctionName {
  private FunctionName() {}

  /** {@code <service>-<function>} from the environment the runtime constructed the handler in. */
  static String current() {
    return FunctionEnvironment.require("FANOUT_SERVICE") + "-" + FunctionEnvironment.require("FANOUT_FUNCTION");
  }
}
