package com.example.fanout.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS identity for 127.0.0.1 made in memory, so that {@link SdkPriming}'s dry calls can go over
 * TLS, as every call to AWS does, without a key or certificate in the zip: an EC P-256 key pair and
 * a self-signed X.509 v3 certificate naming 127.0.0.1 as its IP subject alternative name, valid for
 * an hour. {@link #serverContext()} serves with it; {@link #clientContext()} trusts it alone, through
 * the JDK's PKIX trust manager, so the client's handshake, certificate check and host-name check run
 * the JDK's own code, as they do against an AWS host. Nothing here is a secret worth keeping: the key
 * lives as long as the priming that made it and is trusted by nothing else.
 *
 * <p>The certificate is DER-encoded here because the JDK has no public API that builds one (its
 * keytool's builder is internal), and a library that does would add more to every zip than this class.
 * EC rather than RSA, though AWS's hosts present RSA certificates: an RSA-2048 key takes 0.4–1.5 s to
 * generate with Lambda's C1-only JIT, an EC key under 70 ms with its classes, and an RSA identity left
 * the first batch after priming where an EC one did (ADR 0111).
 */
public final class LoopbackTls {
  private static final char[] NO_PASSWORD = new char[0];
  private static final Duration VALIDITY = Duration.ofHours(1);
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final byte[] LOOPBACK_ADDRESS = {127, 0, 0, 1};
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private final X509Certificate certificate;
  private final SSLContext serverContext;
  private final SSLContext clientContext;

  private LoopbackTls(X509Certificate certificate, SSLContext serverContext, SSLContext clientContext) {
    this.certificate = certificate;
    this.serverContext = serverContext;
    this.clientContext = clientContext;
  }

  /** A new key pair, a certificate for it valid from a minute before {@code now} for an hour, and the two contexts. */
  public static LoopbackTls create(Instant now) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair keys = generator.generateKeyPair();
    X509Certificate certificate = selfSigned(keys, now);

    KeyStore identity = emptyStore();
    identity.setKeyEntry("loopback", keys.getPrivate(), NO_PASSWORD, new X509Certificate[] {certificate});
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(identity, NO_PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keyManagers.getKeyManagers(), null, null);

    KeyStore trusted = emptyStore();
    trusted.setCertificateEntry("loopback", certificate);
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trusted);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, trustManagers.getTrustManagers(), null);
    return new LoopbackTls(certificate, serverContext, clientContext);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Serves this identity. */
  public SSLContext serverContext() {
    return serverContext;
  }

  /** Trusts this identity and nothing else, with the JDK's default (PKIX) trust manager. */
  public SSLContext clientContext() {
    return clientContext;
  }

  private static X509Certificate selfSigned(KeyPair keys, Instant now) throws GeneralSecurityException {
    byte[] algorithm = sequence(oid(ECDSA_WITH_SHA256));
    byte[] name = sequence(set(sequence(oid(COMMON_NAME), tlv(0x0C, "127.0.0.1".getBytes(StandardCharsets.US_ASCII)))));
    Instant notBefore = now.minus(Duration.ofMinutes(1));
    byte[] validity = sequence(utcTime(notBefore), utcTime(notBefore.plus(VALIDITY)));
    byte[] ipAddressName = tlv(0x87, LOOPBACK_ADDRESS); // GeneralName iPAddress, [7] implicit
    byte[] extensions = tlv(0xA3, sequence(sequence(oid(SUBJECT_ALT_NAME), tlv(0x04, sequence(ipAddressName)))));
    byte[] toBeSigned = sequence(tlv(0xA0, integer(BigInteger.TWO)), integer(BigInteger.valueOf(now.toEpochMilli())),
        algorithm, name, validity, name, keys.getPublic().getEncoded(), extensions);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(keys.getPrivate());
    signer.update(toBeSigned);
    byte[] der = sequence(toBeSigned, algorithm, bitString(signer.sign()));
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException("an empty key store cannot fail to load", e);
    }
    return store;
  }

  // DER, as far as a certificate needs it (X.690).

  private static byte[] sequence(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] utcTime(Instant instant) {
    return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] bitString(byte[] bits) {
    byte[] content = new byte[bits.length + 1]; // first byte: no unused bits
    System.arraycopy(bits, 0, content, 1, bits.length);
    return tlv(0x03, content);
  }

  /** An object identifier from its dotted form: the first two arcs in one byte, the rest base 128. */
  private static byte[] oid(String dotted) {
    long[] arcs = Arrays.stream(dotted.split("\\.")).mapToLong(Long::parseLong).toArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((int) (arcs[0] * 40 + arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arcs[i]) + 6) / 7);
      for (int g = groups - 1; g >= 0; g--) {
        out.write((int) ((arcs[i] >>> (7 * g)) & 0x7F) | (g > 0 ? 0x80 : 0));
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 4);
    out.write(tag);
    if (content.length < 0x80) {
      out.write(content.length);
    } else {
      int lengthBytes = (32 - Integer.numberOfLeadingZeros(content.length) + 7) / 8;
      out.write(0x80 | lengthBytes);
      for (int i = lengthBytes - 1; i >= 0; i--) {
        out.write(content.length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
