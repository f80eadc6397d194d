package io.tidegate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's files, found from this module's folder (Surefire passes it as {@code tidegate.repo}). */
final class RepoFiles {

    static final Path ROOT = locateRoot();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path K8S = DEPLOY.resolve("k8s");
    static final Path README = ROOT.resolve("README.md");

    private RepoFiles() {
    }

    private static Path locateRoot() {
        String property = System.getProperty("tidegate.repo");
        Path start = property != null ? Path.of(property) : Path.of("").toAbsolutePath().getParent();
        Path root = start.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("deploy/pom.xml")) || !Files.isRegularFile(root.resolve("pom.xml"))) {
            throw new IllegalStateException("not the repository root: " + root);
        }
        return root;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code .yaml}/{@code .yml} file under {@code dir}, sorted. */
    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String relative(Path file) {
        return ROOT.relativize(file.toAbsolutePath().normalize()).toString();
    }
}
