package com.example.fanout.local.iam;

import com.example.fanout.local.HttpExchanges;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In front of a local AWS stand-in: reads the SigV4 access key id of each call, asks the
 * {@link IamEnforcer} about the authorisations the call needs, and answers a refused call with the
 * service's own AccessDenied error instead of passing it on.
 */
public final class IamFilter extends Filter {
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
  private static final Pattern QUERY_CREDENTIAL = Pattern.compile("(?:^|&)X-Amz-Credential=([^%/&]+)(?:%2F|/)");

  private final IamEnforcer enforcer;
  private final ServiceProtocol protocol;

  public IamFilter(IamEnforcer enforcer, ServiceProtocol protocol) {
    this.enforcer = enforcer;
    this.protocol = protocol;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    if (enforcer.mode() == IamMode.OFF) {
      chain.doFilter(exchange);
      return;
    }
    byte[] body = HttpExchanges.body(exchange);
    exchange.setStreams(new ByteArrayInputStream(body), null);
    Optional<Denial> denial = enforcer.authorize(accessKeyId(exchange), protocol.requests(exchange, body));
    if (denial.isPresent()) {
      protocol.deny(exchange, denial.get());
      return;
    }
    chain.doFilter(exchange);
  }

  static String accessKeyId(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null) {
      Matcher m = CREDENTIAL.matcher(authorization);
      return m.find() ? m.group(1) : null;
    }
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      Matcher m = QUERY_CREDENTIAL.matcher(query);
      return m.find() ? m.group(1) : null;
    }
    return null;
  }

  @Override
  public String description() {
    return "IAM authorisation of each function's calls";
  }
}
