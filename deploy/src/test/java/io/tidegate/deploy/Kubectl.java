package io.tidegate.deploy;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code kubectl kustomize}, where kubectl is on the PATH; tests that need it are skipped otherwise. */
final class Kubectl {

    private static final Optional<Path> KUBECTL = Commands.find("kubectl");

    private Kubectl() {
    }

    static void assumePresent() {
        Assumptions.assumeTrue(KUBECTL.isPresent(), "kubectl is not on the PATH: rendering with kustomize is skipped");
    }

    /** The rendered overlay, as YAML. */
    static String kustomize(Path dir) {
        assumePresent();
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(List.of(KUBECTL.get().toString(), "kustomize", dir.toString()))
                    .redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            boolean finished = process.waitFor(60, TimeUnit.SECONDS);
            String err = Files.readString(errors, StandardCharsets.UTF_8);
            Files.deleteIfExists(errors);
            if (!finished) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + RepoFiles.relative(dir) + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run kubectl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
