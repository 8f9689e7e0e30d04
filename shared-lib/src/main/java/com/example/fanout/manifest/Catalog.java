package com.example.fanout.manifest;

import com.example.fanout.manifest.ServiceManifest.Consumer;
import com.example.fanout.manifest.ServiceManifest.Publication;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every service manifest, merged and checked across services: each event type has exactly one
 * publisher, each subscription names a published type, services and sources are unique.
 */
public final class Catalog {
  /** Where the whole catalog is on a class path (shared-lib's test fixtures, the tools). */
  public static final String CLASSPATH_ROOT = "fanout-catalog";
  /** Where a service's build puts its function's slice: {@value}{@code /<service>/<svc>/service.json}, ... */
  public static final String SLICE_ROOT = "fanout-slice";
  /** A service's manifest, as its team writes it. */
  public static final String MANIFEST = "service.yaml";
  /** The same manifest in a function's slice: written as JSON by the build, so no function parses YAML. */
  public static final String SLICE_MANIFEST = "service.json";
  private static final Map<String, Catalog> BY_SERVICE = new java.util.concurrent.ConcurrentHashMap<>();

  private final Map<String, ServiceManifest> services;
  private final Map<String, ServiceManifest> publisherByType;
  private final String sliceOf;

  private Catalog(List<ServiceManifest> manifests, List<String> files) {
    this(manifests, files, null);
  }

  /**
   * @param sliceOf null for a whole catalog; else the one service whose consumers are checked (a
   *     function's slice holds the manifests of its publishers only for their event types, and their
   *     own consumers' types are not in it)
   */
  private Catalog(List<ServiceManifest> manifests, List<String> files, String sliceOf) {
    this.sliceOf = sliceOf;
    List<ManifestProblem> problems = new ArrayList<>();
    Map<String, ServiceManifest> byName = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    Map<String, ServiceManifest> publishers = new LinkedHashMap<>();
    for (int i = 0; i < manifests.size(); i++) {
      ServiceManifest m = manifests.get(i);
      String file = files.get(i);
      if (byName.putIfAbsent(m.service(), m) != null) {
        problems.add(new ManifestProblem(file, "service", "service '" + m.service() + "' is declared twice"));
      }
      String other = sources.putIfAbsent(m.source(), m.service());
      if (other != null && !other.equals(m.service())) {
        problems.add(new ManifestProblem(file, "source", "source '" + m.source() + "' is already used by service " + other));
      }
      for (int p = 0; p < m.publishes().size(); p++) {
        Publication pub = m.publishes().get(p);
        ServiceManifest previous = publishers.putIfAbsent(pub.type(), m);
        if (previous != null && previous != m) {
          problems.add(new ManifestProblem(file, "publishes[" + p + "].type",
              "event type " + pub.type() + " is already published by service " + previous.service()));
        }
      }
    }
    for (int i = 0; i < manifests.size(); i++) {
      ServiceManifest m = manifests.get(i);
      if (!checksConsumersOf(m)) {
        continue;
      }
      for (int c = 0; c < m.consumers().size(); c++) {
        List<String> on = m.consumers().get(c).on();
        for (int t = 0; t < on.size(); t++) {
          if (!publishers.containsKey(on.get(t))) {
            problems.add(new ManifestProblem(files.get(i), "consumers[" + c + "].on[" + t + "]",
                "unknown event type " + on.get(t) + ": no service publishes it"));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidManifestException(problems);
    }
    this.services = Map.copyOf(byName);
    this.publisherByType = Map.copyOf(publishers);
    for (int i = 0; i < manifests.size(); i++) {
      ServiceManifest m = manifests.get(i);
      if (!checksConsumersOf(m)) {
        continue;
      }
      for (int c = 0; c < m.consumers().size(); c++) {
        for (Subscription sub : subscriptionsOf(new Subscriber(m, m.consumers().get(c)))) {
          for (String reason : FilterPolicies.validate(sub.filterPolicy())) {
            problems.add(new ManifestProblem(files.get(i), "consumers[" + c + "].filter",
                "SNS would refuse the subscription to " + sub.publisher().service() + "'s topic: " + reason));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidManifestException(problems);
    }
  }

  /** Builds a catalog from already-loaded manifests (file names used in problem reports). */
  /** Every event type, across services, whose manifest opts in to the claim check. */
  public java.util.Set<String> claimCheckTypes() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    services.values().forEach(m -> out.addAll(m.claimCheckTypes()));
    return out;
  }

  /**
   * Whether function {@code function} of {@code m} puts or reads claim checks: it publishes an
   * opted-in type, or consumes one. Terraform (modules/service, claim_check_users) applies the same
   * rule to set {@code CLAIM_CHECK_BUCKET} and the role's S3 grants.
   */
  public boolean usesClaimChecks(ServiceManifest m, String function, ServiceManifest.FunctionSpec spec) {
    java.util.Set<String> types = claimCheckTypes();
    return spec.access().publishes().stream().anyMatch(types::contains)
        || m.consumer(function).map(c -> c.on().stream().anyMatch(types::contains)).orElse(false);
  }

  /** Where a file {@link #slice} names sits in the slice: a manifest as {@value #SLICE_MANIFEST}, a schema as it is. */
  public static String inSlice(String file) {
    return file.endsWith("/" + MANIFEST) ? file.substring(0, file.length() - MANIFEST.length()) + SLICE_MANIFEST : file;
  }

  public static Catalog of(List<ServiceManifest> manifests) {
    return new Catalog(manifests, manifests.stream().map(m -> m.service() + "/service.yaml").toList());
  }

  /** Loads {@code <servicesDir>/*}{@code /service.yaml}, reporting the problems of every file at once. */
  public static Catalog load(Path servicesDir) {
    return load(servicesDir, null);
  }

  /**
   * Loads a function's slice (the layout {@link #slice} names, rooted at {@code sliceRoot}, each
   * manifest as {@value #SLICE_MANIFEST}): only {@code service}'s consumers are checked against the
   * publishers in it.
   */
  public static Catalog loadSlice(Path sliceRoot, String service) {
    Catalog slice = load(sliceRoot, Objects.requireNonNull(service, "service"));
    slice.requireService(service);
    return slice;
  }

  private static Catalog load(Path servicesDir, String sliceOf) {
    List<Path> files;
    try (Stream<Path> dirs = Files.list(servicesDir)) {
      String manifest = sliceOf == null ? MANIFEST : SLICE_MANIFEST;
      files = dirs.map(d -> d.resolve(manifest)).filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + servicesDir, e);
    }
    List<ServiceManifest> manifests = new ArrayList<>();
    List<ManifestProblem> problems = new ArrayList<>();
    for (Path f : files) {
      try {
        boolean publisherInSlice = sliceOf != null && !sliceOf.equals(f.getParent().getFileName().toString());
        manifests.add(publisherInSlice ? ManifestLoader.loadInSlice(f) : ManifestLoader.load(f));
      } catch (InvalidManifestException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidManifestException(problems);
    }
    return new Catalog(manifests, files.stream().map(Path::toString).toList(), sliceOf);
  }

  /**
   * What a function of {@code service} reads: the slice its service's build bundled
   * ({@value #SLICE_ROOT}{@code /<service>}, see {@link #slice(String)}), cached per service; without
   * one (tests and tools), the whole catalog on the class path ({@link #fromClasspath()}).
   */
  public static Catalog forService(String service) {
    return BY_SERVICE.computeIfAbsent(service, s -> classpathDirectory(SLICE_ROOT + "/" + s)
        .map(dir -> loadSlice(dir, s))
        .orElseGet(Catalog::fromClasspath));
  }

  /**
   * The files a function of {@code service} needs, relative to the services directory this catalog
   * was loaded from: its own manifest and the schemas of what it publishes, and for every type its
   * consumers receive the publisher's manifest and that type's schemas, every version kept; and the
   * sample event of every type it publishes or receives, at the current version ({@link #sample},
   * for SnapStart priming). A change
   * to any other schema or manifest leaves the service's zip, and so its deployment, unchanged.
   * The build writes each manifest into the slice as JSON ({@link #inSlice}).
   */
  public List<String> slice(String service) {
    ServiceManifest own = requireService(service);
    java.util.Set<String> files = new java.util.TreeSet<>();
    files.add(own.service() + "/service.yaml");
    for (Publication p : own.publishes()) {
      files.addAll(schemaVersions(own, p.type()));
      sampleFile(own, p).ifPresent(files::add);
    }
    for (Consumer c : own.consumers()) {
      for (String type : c.on()) {
        ServiceManifest publisher = publisherOf(type).orElseThrow();
        files.add(publisher.service() + "/service.yaml");
        files.addAll(schemaVersions(publisher, type));
        publication(type).flatMap(p -> sampleFile(publisher, p)).ifPresent(files::add);
      }
    }
    return List.copyOf(files);
  }

  private static Optional<String> sampleFile(ServiceManifest publisher, Publication p) {
    String path = samplePath(p.type(), p.version());
    return Files.isRegularFile(publisher.directory().resolve(path))
        ? Optional.of(publisher.service() + "/" + path) : Optional.empty();
  }

  /**
   * The catalog's valid sample of {@code type} at its current version, a whole envelope as its
   * publisher gives it ({@code <publisher>/schemas/samples/<type>.v<N>/valid-basic.json}; every
   * publication has one). A function's slice carries those of the types its service publishes and
   * receives, which SnapStart priming runs through its handlers.
   */
  public Optional<String> sample(String type) {
    return publisherOf(type).flatMap(m -> publication(type)
        .map(p -> m.directory().resolve(samplePath(type, p.version())))
        .filter(Files::isRegularFile)
        .map(file -> {
          try {
            return Files.readString(file);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
          }
        }));
  }

  /** {@link #sample}, or fails naming the type: a function that primes with it cannot do without it. */
  public String requireSample(String type) {
    return sample(type).orElseThrow(() -> new IllegalStateException("no " + type + " sample in the function's catalog slice"));
  }

  private static String samplePath(String type, int version) {
    return "schemas/samples/" + type + ".v" + version + "/valid-basic.json";
  }

  private static List<String> schemaVersions(ServiceManifest m, String type) {
    Path dir = m.directory().resolve("schemas");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString())
          .filter(name -> name.matches(java.util.regex.Pattern.quote(type) + "\\.v\\d+\\.json"))
          .map(name -> m.service() + "/schemas/" + name).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Whether this is one function's slice rather than the whole catalog; then only {@link #sliceOf()}'s consumers are checked. */
  public Optional<String> sliceOf() {
    return Optional.ofNullable(sliceOf);
  }

  private boolean checksConsumersOf(ServiceManifest m) {
    return sliceOf == null || sliceOf.equals(m.service());
  }

  /** The whole catalog on the class path: shared-lib's test fixtures and the tools bundle it; a function zip holds its slice only. */
  public static Catalog fromClasspath() {
    return load(classpathDirectory(CLASSPATH_ROOT).orElseThrow(() -> new IllegalStateException(
        CLASSPATH_ROOT + " is not on the class path (a function reads its slice, " + SLICE_ROOT + "/<service>, through forService)")));
  }

  private static Optional<Path> classpathDirectory(String resource) {
    URL url = Catalog.class.getClassLoader().getResource(resource);
    if (url == null) {
      return Optional.empty();
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        return Optional.of(fs.getPath(resource));
      }
      return Optional.of(Path.of(uri));
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot open the bundled catalog at " + url, e);
    }
  }

  public List<ServiceManifest> services() {
    return services.values().stream().sorted(Comparator.comparing(ServiceManifest::service)).toList();
  }

  public Optional<ServiceManifest> service(String name) {
    return Optional.ofNullable(services.get(name));
  }

  /**
   * The AWS actions {@code function} of {@code service} calls ({@link ServiceManifest#awsActionsOf}):
   * what its SnapStart priming warms. Empty when the catalog has no such service.
   */
  public java.util.SortedSet<String> awsActionsOf(String service, String function) {
    return service(service).map(m -> m.awsActionsOf(function)).orElseGet(java.util.TreeSet::new);
  }

  public ServiceManifest requireService(String name) {
    return service(name).orElseThrow(() -> new IllegalArgumentException("no service named '" + name + "' in the catalog"));
  }

  /** The service that publishes {@code type}, if any. */
  public Optional<ServiceManifest> publisherOf(String type) {
    return Optional.ofNullable(publisherByType.get(type));
  }

  public Optional<Publication> publication(String type) {
    return publisherOf(type).flatMap(m -> m.publishes().stream().filter(p -> p.type().equals(type)).findFirst());
  }

  /** Path of the schema file of {@code type} at {@code version}, whether or not it is the current one. */
  public Optional<Path> schemaFile(String type, int version) {
    return publisherOf(type)
        .map(m -> m.directory().resolve("schemas").resolve(type + ".v" + version + ".json"))
        .filter(Files::isRegularFile);
  }

  /** Every SQS consumer of every service. */
  public List<Subscriber> subscribers() {
    List<Subscriber> out = new ArrayList<>();
    for (ServiceManifest m : services()) {
      for (Consumer c : m.consumers()) {
        out.add(new Subscriber(m, c));
      }
    }
    return out;
  }

  /** Subscriptions of one consumer: one per publishing service it listens to, with its filter policy. */
  public List<Subscription> subscriptionsOf(Subscriber subscriber) {
    Map<ServiceManifest, List<String>> typesByPublisher = new LinkedHashMap<>();
    for (String type : subscriber.consumer().on()) {
      typesByPublisher.computeIfAbsent(publisherByType.get(type), k -> new ArrayList<>()).add(type);
    }
    List<Subscription> out = new ArrayList<>();
    typesByPublisher.forEach((publisher, types) -> out.add(new Subscription(
        publisher, subscriber, FilterPolicies.policyFor(types, subscriber.consumer().filter()))));
    return out;
  }

  /** A consumer together with the service that owns it. */
  public record Subscriber(ServiceManifest service, Consumer consumer) {
    /** {@code <service>-<consumer>}; prefix with the environment for the physical name. */
    public String qualifiedName() {
      return service.service() + "-" + consumer.name();
    }
  }

  /** The SNS subscription of a consumer's queue to a publishing service's topic. */
  public record Subscription(ServiceManifest publisher, Subscriber subscriber, ObjectNode filterPolicy) {
    public Subscription {
      filterPolicy = filterPolicy.deepCopy();
    }

    @Override
    public ObjectNode filterPolicy() {
      return filterPolicy.deepCopy();
    }
  }
}
