package com.example.fanout.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.URI;
import java.security.Permission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The url-connection HTTP client's connections, with small request bodies sent in one write with
 * their headers instead of streamed.
 *
 * <p>Why: the SDK puts every request that has a {@code Content-Length} in fixed-length streaming mode,
 * and for a streamed POST on a kept-alive connection the JDK first checks that the server has not
 * closed it, with a read that waits 1 ms for nothing ({@code sun.net.www.http.HttpClient.available}).
 * Every AWS API call is such a POST, so on a warm function each one paid that millisecond: about
 * 1.2 ms of a 1.6 ms loopback call, and in AWS a millisecond on top of a few-millisecond DynamoDB or
 * EventBridge call. A buffered body needs no check: the JDK resends it on a fresh connection if the
 * kept-alive one turns out closed, as the SDK's own retry would. Bodies above {@link
 * #STREAMED_ABOVE_BYTES} (claim-check uploads) are still streamed: there the millisecond is noise
 * and a copy in memory is not.
 *
 * <p>The SDK's settings that its default factory applies are applied here: its connect and socket
 * timeouts, and the JDK's default TLS context and proxy selector, which are what the SDK's defaults
 * amount to in Lambda (no key managers, the default trust store, proxies from system properties).
 */
public final class KeepAliveConnections implements UrlConnectionFactory {
  /** Bodies up to this size are buffered and sent with their headers. */
  public static final long STREAMED_ABOVE_BYTES = 64 * 1024;
  /** The SDK's default timeouts ({@code SdkHttpConfigurationOption}'s connection timeout, 2 s, and read timeout, 30 s). */
  private static final Duration SDK_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SDK_READ_TIMEOUT = Duration.ofSeconds(30);
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final SSLSocketFactory tls;

  /** With the SDK's default timeouts. */
  public KeepAliveConnections() {
    this(SDK_CONNECT_TIMEOUT, SDK_READ_TIMEOUT);
  }

  public KeepAliveConnections(Duration connectTimeout, Duration readTimeout) {
    this(connectTimeout, readTimeout, null);
  }

  /** @param tls the TLS sockets for https connections, or null for the JDK's default context's */
  KeepAliveConnections(Duration connectTimeout, Duration readTimeout, SSLSocketFactory tls) {
    this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
    this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    this.tls = tls;
  }

  /** The SDK's url-connection client on these connections, with the SDK's default timeouts. */
  public static SdkHttpClient httpClient() {
    return UrlConnectionHttpClient.create(new KeepAliveConnections());
  }

  /**
   * The SDK's url-connection client on these connections, with the SDK's default timeouts, making its
   * https connections with {@code tls} (null: the JDK's default context).
   */
  static SdkHttpClient httpClient(SSLSocketFactory tls) {
    return UrlConnectionHttpClient.create(new KeepAliveConnections(SDK_CONNECT_TIMEOUT, SDK_READ_TIMEOUT, tls));
  }

  /** The SDK's url-connection client on these connections. */
  public static SdkHttpClient httpClient(Duration connectTimeout, Duration readTimeout) {
    return UrlConnectionHttpClient.create(new KeepAliveConnections(connectTimeout, readTimeout));
  }

  @Override
  public HttpURLConnection createConnection(URI uri) {
    try {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setConnectTimeout(connectTimeoutMillis);
      connection.setReadTimeout(readTimeoutMillis);
      if (tls != null && connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(tls);
      }
      return new SmallBodiesBuffered(connection);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open a connection to " + uri, e);
    }
  }

  /**
   * The JDK's connection with {@link #setFixedLengthStreamingMode} ignored for small bodies; every
   * other call is passed through.
   */
  static final class SmallBodiesBuffered extends HttpURLConnection {
    private final HttpURLConnection delegate;
    private boolean streamed;

    SmallBodiesBuffered(HttpURLConnection delegate) {
      super(delegate.getURL());
      this.delegate = delegate;
    }

    /** Whether the body goes out in streaming mode (with the JDK's liveness check) rather than buffered. */
    boolean streamed() {
      return streamed;
    }

    @Override
    public void setFixedLengthStreamingMode(long contentLength) {
      if (contentLength > STREAMED_ABOVE_BYTES) {
        delegate.setFixedLengthStreamingMode(contentLength);
        streamed = true;
      }
    }

    @Override
    public void setFixedLengthStreamingMode(int contentLength) {
      setFixedLengthStreamingMode((long) contentLength);
    }

    @Override
    public void setChunkedStreamingMode(int chunkLength) {
      delegate.setChunkedStreamingMode(chunkLength);
      streamed = true;
    }

    @Override
    public void connect() throws IOException {
      delegate.connect();
    }

    @Override
    public void disconnect() {
      delegate.disconnect();
    }

    @Override
    public boolean usingProxy() {
      return delegate.usingProxy();
    }

    @Override
    public void setRequestMethod(String method) throws ProtocolException {
      delegate.setRequestMethod(method);
    }

    @Override
    public String getRequestMethod() {
      return delegate.getRequestMethod();
    }

    @Override
    public void setRequestProperty(String key, String value) {
      delegate.setRequestProperty(key, value);
    }

    @Override
    public void addRequestProperty(String key, String value) {
      delegate.addRequestProperty(key, value);
    }

    @Override
    public String getRequestProperty(String key) {
      return delegate.getRequestProperty(key);
    }

    @Override
    public Map<String, List<String>> getRequestProperties() {
      return delegate.getRequestProperties();
    }

    @Override
    public void setDoOutput(boolean doOutput) {
      delegate.setDoOutput(doOutput);
    }

    @Override
    public boolean getDoOutput() {
      return delegate.getDoOutput();
    }

    @Override
    public void setDoInput(boolean doInput) {
      delegate.setDoInput(doInput);
    }

    @Override
    public boolean getDoInput() {
      return delegate.getDoInput();
    }

    @Override
    public void setUseCaches(boolean useCaches) {
      delegate.setUseCaches(useCaches);
    }

    @Override
    public boolean getUseCaches() {
      return delegate.getUseCaches();
    }

    @Override
    public void setInstanceFollowRedirects(boolean followRedirects) {
      delegate.setInstanceFollowRedirects(followRedirects);
    }

    @Override
    public boolean getInstanceFollowRedirects() {
      return delegate.getInstanceFollowRedirects();
    }

    @Override
    public void setConnectTimeout(int timeout) {
      delegate.setConnectTimeout(timeout);
    }

    @Override
    public int getConnectTimeout() {
      return delegate.getConnectTimeout();
    }

    @Override
    public void setReadTimeout(int timeout) {
      delegate.setReadTimeout(timeout);
    }

    @Override
    public int getReadTimeout() {
      return delegate.getReadTimeout();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      return delegate.getOutputStream();
    }

    @Override
    public InputStream getInputStream() throws IOException {
      return delegate.getInputStream();
    }

    @Override
    public InputStream getErrorStream() {
      return delegate.getErrorStream();
    }

    @Override
    public int getResponseCode() throws IOException {
      return delegate.getResponseCode();
    }

    @Override
    public String getResponseMessage() throws IOException {
      return delegate.getResponseMessage();
    }

    @Override
    public Map<String, List<String>> getHeaderFields() {
      return delegate.getHeaderFields();
    }

    @Override
    public String getHeaderField(String name) {
      return delegate.getHeaderField(name);
    }

    @Override
    public String getHeaderField(int n) {
      return delegate.getHeaderField(n);
    }

    @Override
    public String getHeaderFieldKey(int n) {
      return delegate.getHeaderFieldKey(n);
    }

    @Override
    public long getContentLengthLong() {
      return delegate.getContentLengthLong();
    }

    @Override
    public String getContentType() {
      return delegate.getContentType();
    }

    @Override
    public Permission getPermission() throws IOException {
      return delegate.getPermission();
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
