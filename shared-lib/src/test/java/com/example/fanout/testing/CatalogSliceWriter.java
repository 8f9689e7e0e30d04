package com.example.fanout.testing;

import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.ManifestLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The build step that gives a service's function zip its catalog slice: copies {@link Catalog#slice}
 * of the service from the services directory to {@code <classes>/fanout-slice/<service>/}, replacing
 * what an earlier build put there. Schemas are copied as they are; each manifest, checked as YAML by
 * {@link Catalog#load}, is written as JSON ({@link Catalog#inSlice}), so no function parses YAML. Run by every service module at {@code process-classes} (the parent
 * POM's {@code lambda-function} profile); it lives in shared-lib's test fixtures so that no function
 * zip carries it.
 *
 * <pre>CatalogSliceWriter &lt;services dir&gt; &lt;service&gt; &lt;classes dir&gt;</pre>
 */
public final class CatalogSliceWriter {
  private CatalogSliceWriter() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: CatalogSliceWriter <services dir> <service> <classes dir>");
    }
    write(Path.of(args[0]), args[1], Path.of(args[2]));
  }

  /** Writes the slice and returns its files, relative to the slice's root. */
  public static List<String> write(Path servicesDir, String service, Path classesDir) throws IOException {
    List<String> files = Catalog.load(servicesDir).slice(service);
    Path root = classesDir.resolve(Catalog.SLICE_ROOT).resolve(service);
    Directories.delete(root);
    List<String> written = new java.util.ArrayList<>();
    for (String file : files) {
      Path target = root.resolve(Catalog.inSlice(file));
      Files.createDirectories(target.getParent());
      if (file.endsWith("/" + Catalog.MANIFEST)) {
        Files.writeString(target, ManifestLoader.toJson(servicesDir.resolve(file)));
      } else {
        Files.copy(servicesDir.resolve(file), target);
      }
      written.add(Catalog.inSlice(file));
    }
    return written;
  }
}
