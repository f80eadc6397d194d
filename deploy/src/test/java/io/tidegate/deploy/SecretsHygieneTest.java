package io.tidegate.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** No private key is committed with the deployment files: the Secret's files are placeholders. */
class SecretsHygieneTest {

    private static final String PRIVATE_KEY = "PRIVATE" + " KEY-----";

    @Test
    void noPrivateKeysUnderDeploy() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(RepoFiles.DEPLOY)) {
            offenders = files.filter(Files::isRegularFile)
                    .filter(f -> !RepoFiles.DEPLOY.relativize(f).startsWith("target"))
                    .filter(f -> new String(read(f), StandardCharsets.ISO_8859_1).contains(PRIVATE_KEY))
                    .map(RepoFiles::relative).toList();
        }
        assertThat(offenders).isEmpty();
        for (String name : List.of("tls.crt", "tls.key", "ca.crt")) {
            assertThat(RepoFiles.read(RepoFiles.K8S.resolve("overlays/gateway/tls").resolve(name))).startsWith("PLACEHOLDER:");
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
