package dev.kiln.conformance.tck;

import dev.kiln.conformance.architectures.ArchitectureChecks;
import dev.kiln.conformance.folders.FolderModelChecks;
import dev.kiln.conformance.renderers.RendererChecks;
import dev.kiln.conformance.renderers.RendererContract;
import dev.kiln.conformance.samplers.SamplerChecks;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.spi.FolderModelProvider;
import dev.kiln.spi.Named;
import dev.kiln.spi.Providers;
import dev.kiln.spi.Renderer;
import dev.kiln.spi.RendererProvider;
import dev.kiln.spi.SamplerProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The conformance suite run against the providers in a third party's jars: the jars are loaded as a
 * module layer, their sampler, architecture, renderer and folder-model providers are found and put through every
 * contract check, a JUnit XML report is written and a verdict per provider printed. {@code kiln tck}
 * runs it through {@link TckTool}.
 */
public final class Tck {

  private final boolean includeKiln;

  private Tck(boolean includeKiln) {
    this.includeKiln = includeKiln;
  }

  /**
   * Checks every provider on {@code modulePath} (and Kiln's own with {@code includeKiln}).
   *
   * @return 0 when every provider conforms, 1 when a check fails or no provider is found
   */
  public static int run(List<Path> modulePath, boolean includeKiln, Path report, PrintWriter out) throws IOException {
    return new Tck(includeKiln).check(modulePath, report, out);
  }

  private int check(List<Path> modulePath, Path report, PrintWriter out) throws IOException {
    ModuleLayer layer = layer(modulePath);
    OrtBackend backend = new OrtBackend(new BackendOptions(Device.CPU, 2, 1, BackendOptions.Optimization.BASIC, 0));
    List<TckReport.Suite> suites = new ArrayList<>();
    for (SamplerProvider<?> p : found(layer, SamplerProvider.class)) {
      TckReport.Suite s = new TckReport.Suite("sampler " + p.name(), p.getClass().getName());
      SamplerChecks.settings(p).forEach((setting, view) -> SamplerChecks.all(view).forEach((name, check) -> s.run(
          setting.equals("example config") ? name : name + " [" + setting + "]", check::run)));
      suites.add(s);
    }
    for (ArchitectureProvider<?> p : found(layer, ArchitectureProvider.class)) {
      TckReport.Suite s = new TckReport.Suite("architecture " + p.name(), p.getClass().getName());
      Object cfg = p.exampleConfig();
      s.run("config round-trips through JSON", () -> ArchitectureChecks.configRoundTripsThroughJson(p, cfg));
      s.run("initialisation is deterministic under a seed", () -> ArchitectureChecks.initialisationIsDeterministic(p,
          cfg));
      s.run("gradients match finite differences", () -> ArchitectureChecks.gradientsMatchFiniteDifferences(p, cfg,
          backend));
      s.run("exported model matches the training graph", () -> ArchitectureChecks.exportMatchesTrainingGraph(p, cfg,
          backend));
      s.run("exported model passes the onnx checker", () -> ArchitectureChecks.exportPassesOnnxChecker(p, cfg,
          backend));
      suites.add(s);
    }
    for (RendererProvider<?> p : found(layer, RendererProvider.class)) {
      TckReport.Suite s = new TckReport.Suite("renderer " + p.name(), p.getClass().getName());
      Renderer r = RendererContract.create(p);
      s.run("uniform sphere gives the analytic opacity", () -> RendererChecks.uniformSphereGivesTheAnalyticOpacity(r,
          backend));
      s.run("empty space gives the background", () -> RendererChecks.emptySpaceGivesTheBackground(r, backend));
      s.run("weights sum to at most one", () -> RendererChecks.weightsSumToAtMostOne(r, backend));
      s.run("an opaque sample gives its colour and depth", () -> RendererChecks.opaqueSampleGivesItsColourAndDepth(r,
          backend));
      s.run("graph face equals host face", () -> RendererChecks.graphFaceEqualsHostFace(r, backend));
      suites.add(s);
    }
    for (FolderModelProvider p : found(layer, FolderModelProvider.class)) {
      TckReport.Suite s = new TckReport.Suite("folder model " + p.name(), p.getClass().getName());
      Path dir = Files.createTempDirectory("kiln-tck-" + p.name());
      try {
        FolderModelChecks.all(p, dir, backend).forEach((name, check) -> s.run(name, check::run));
      } finally {
        deleteTree(dir);
      }
      suites.add(s);
    }
    if (suites.isEmpty()) {
      out.println("tck: no SamplerProvider, ArchitectureProvider, RendererProvider or FolderModelProvider found on "
          + modulePath
          + " (are they declared with `provides ... with ...` in module-info.java?)");
      return 1;
    }
    TckReport.writeXml(report, suites);
    boolean ok = true;
    for (TckReport.Suite s : suites) {
      out.println(s.summary());
      ok &= s.passed();
    }
    out.printf(Locale.ROOT, "%d provider(s) checked; %s; JUnit XML in %s%n", suites.size(),
        ok ? "all conform" : "some do not conform", report);
    return ok ? 0 : 1;
  }


  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static ModuleLayer layer(List<Path> paths) {
    ModuleFinder finder = ModuleFinder.of(paths.toArray(new Path[0]));
    Set<String> roots = finder.findAll().stream().map(ModuleReference::descriptor).map(d -> d.name())
        .filter(n -> ModuleLayer.boot().findModule(n).isEmpty()).collect(Collectors.toSet());
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("--module-path " + paths + ": no modules there that Kiln does not already"
          + " hold (a provider jar needs a module-info.java)");
    }
    Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
    return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
  }

  private <S extends Named> Collection<S> found(ModuleLayer layer, Class<S> service) {
    return Providers.inLayer(layer, service, includeKiln).values();
  }
}
