package com.example.fanout.testing;

import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.FunctionPackages;
import com.example.fanout.manifest.ServiceManifest;
import java.nio.file.Path;

/**
 * The build step that holds a service's POM to {@link FunctionPackages}: the service builds
 * {@code <service>-function-without-s3.zip} (its property {@code function-zip.without-s3.skip} is
 * {@code false}) exactly when some of its functions call S3 and others do not (ADR 0107). Run by
 * every service module at {@code process-classes} (the parent POM's {@code lambda-function} profile),
 * so that a manifest change that moves a function between the zips fails the build, not Terraform's
 * plan.
 *
 * <pre>FunctionPackagesCheck &lt;services dir&gt; &lt;service&gt; &lt;function-zip.without-s3.skip&gt;</pre>
 */
public final class FunctionPackagesCheck {
  private FunctionPackagesCheck() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: FunctionPackagesCheck <services dir> <service> <function-zip.without-s3.skip>");
    }
    check(Path.of(args[0]), args[1], Boolean.parseBoolean(args[2]));
  }

  /** @throws IllegalStateException saying what to set in the service's POM when it disagrees with its manifest */
  public static FunctionPackages check(Path servicesDir, String service, boolean skipsZipWithoutS3) {
    Catalog catalog = Catalog.load(servicesDir);
    ServiceManifest m = catalog.service(service)
        .orElseThrow(() -> new IllegalArgumentException("no service named '" + service + "' in " + servicesDir));
    FunctionPackages packages = FunctionPackages.of(catalog, m);
    String withoutS3 = FunctionPackages.zipWithoutS3(service);
    if (packages.buildsZipWithoutS3() && skipsZipWithoutS3) {
      throw new IllegalStateException(service + ": " + packages.functionsIn(withoutS3) + " never call S3 but "
          + packages.functionsIn(FunctionPackages.fullZip(service)) + " do; set <function-zip.without-s3.skip>false"
          + "</function-zip.without-s3.skip> in services/" + service + "/pom.xml, so that the former run from "
          + withoutS3 + " (ADR 0107)");
    }
    if (!packages.buildsZipWithoutS3() && !skipsZipWithoutS3) {
      throw new IllegalStateException(service + ": no function would run from " + withoutS3 + " (all or none of "
          + packages.zipOf().keySet() + " call S3); remove <function-zip.without-s3.skip>false"
          + "</function-zip.without-s3.skip> from services/" + service + "/pom.xml (ADR 0107)");
    }
    return packages;
  }
}
