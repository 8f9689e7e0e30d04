package com.example.fanout.local.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * API Gateway's JWT authorizer, locally: the {@code Authorization} header's token (with or without
 * {@code Bearer }) must be an RS256 JWT signed by a key of the issuer's JWKS (fetched from its
 * {@code jwks_uri}, as API Gateway does), with the issuer's {@code iss}, an {@code aud} (or Cognito's
 * {@code client_id}) that is the API's audience, not expired and not before {@code nbf}; then its
 * {@code scope} claim must hold one of the route's scopes. Failures answer as API Gateway does: 401
 * {@code Unauthorized} for a missing or invalid token, 403 {@code Forbidden} for a missing scope,
 * with the reason in {@code www-authenticate}.
 */
public final class JwtAuthorizer {
  private final String issuer;
  private final String audience;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  public JwtAuthorizer(String issuer, String audience, URI jwksUri) {
    this(issuer, audience, remote(jwksUri));
  }

  public JwtAuthorizer(String issuer, String audience, JWKSource<SecurityContext> keys) {
    this.issuer = issuer;
    this.audience = audience;
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null,
        new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat"), null));
  }

  public String issuer() {
    return issuer;
  }

  public String audience() {
    return audience;
  }

  /** The outcome: the claims and scopes to pass to the function, or a refusal. */
  public sealed interface Decision {}

  /** @param claims every claim as a string (API Gateway's {@code requestContext.authorizer.jwt.claims}) */
  public record Allowed(Map<String, String> claims, List<String> scopes) implements Decision {}

  /** @param status 401 or 403; {@code reason} goes into {@code www-authenticate} */
  public record Denied(int status, String reason) implements Decision {
    public String body() {
      return status == 403 ? "{\"message\":\"Forbidden\"}" : "{\"message\":\"Unauthorized\"}";
    }

    public String wwwAuthenticate(List<String> routeScopes) {
      String error = status == 403 ? "insufficient_scope" : "invalid_token";
      return "Bearer scope=\"" + String.join(" ", routeScopes) + "\" error=\"" + error + "\" error_description=\""
          + reason.replace("\"", "'") + "\"";
    }
  }

  /** @param routeScopes a token needs one of them; empty: any valid token */
  public Decision authorize(String authorizationHeader, List<String> routeScopes) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      return new Denied(401, "no Authorization header");
    }
    String token = authorizationHeader.strip();
    if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = token.substring(7).strip();
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      return new Denied(401, "the token is not a JWT: " + e.getMessage());
    } catch (BadJOSEException | JOSEException e) {
      return new Denied(401, e.getMessage());
    }
    List<String> audiences = claims.getAudience();
    Object clientId = claims.getClaim("client_id");
    if (!audiences.contains(audience) && !(audiences.isEmpty() && audience.equals(clientId))) {
      return new Denied(401, "the token's audience " + (audiences.isEmpty() ? clientId : audiences) + " is not " + audience);
    }
    List<String> scopes = scopesOf(claims);
    if (!routeScopes.isEmpty() && routeScopes.stream().noneMatch(scopes::contains)) {
      return new Denied(403, "the token has none of the route's scopes " + routeScopes);
    }
    return new Allowed(asStrings(claims), routeScopes.isEmpty() ? null : scopes);
  }

  private static List<String> scopesOf(JWTClaimsSet claims) {
    Object scope = claims.getClaim("scope");
    if (scope instanceof String s && !s.isBlank()) {
      return List.of(s.trim().split("\\s+"));
    }
    if (scope instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  /** API Gateway passes every claim as a string: dates as epoch seconds, lists as {@code [a b]}. */
  private static Map<String, String> asStrings(JWTClaimsSet claims) {
    Map<String, String> out = new LinkedHashMap<>();
    claims.getClaims().forEach((name, value) -> out.put(name, switch (value) {
      case Date d -> Long.toString(d.toInstant().getEpochSecond());
      case List<?> l -> "[" + String.join(" ", l.stream().map(String::valueOf).toList()) + "]";
      default -> String.valueOf(value);
    }));
    return out;
  }

  private static JWKSource<SecurityContext> remote(URI jwksUri) {
    try {
      return JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL()).retrying(true).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("jwks_uri " + jwksUri + " is not a URL", e);
    }
  }
}
