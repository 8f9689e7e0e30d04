package com.example.fanout.runtime;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Drops what a priming invocation writes to stdout and stderr: its log lines and its EMF metrics
 * document would otherwise reach CloudWatch as a real invocation's, counting an event that never
 * happened. Only the priming thread's writes are dropped; another thread's go through.
 */
final class PrimingOutput {
  private PrimingOutput() {}

  static <T> T discardedDuring(Supplier<T> body) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    Thread priming = Thread.currentThread();
    System.setOut(new PrintStream(new OtherThreads(out, priming), true));
    System.setErr(new PrintStream(new OtherThreads(err, priming), true));
    try {
      return body.get();
    } finally {
      System.out.flush();
      System.err.flush();
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** Writes through to {@code target} from every thread but {@code dropped}. */
  private static final class OtherThreads extends OutputStream {
    private final PrintStream target;
    private final Thread dropped;

    OtherThreads(PrintStream target, Thread dropped) {
      this.target = target;
      this.dropped = dropped;
    }

    @Override
    public void write(int b) {
      if (Thread.currentThread() != dropped) {
        target.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (Thread.currentThread() != dropped) {
        target.write(b, off, len);
      }
    }

    @Override
    public void flush() {
      target.flush();
    }
  }
}
