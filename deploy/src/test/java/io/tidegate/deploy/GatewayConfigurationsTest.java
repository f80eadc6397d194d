package io.tidegate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.config.ListenerConfig;
import io.tidegate.config.TidegateConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration files as written (no kubectl needed) pass the gateway's own validation
 * ({@code ConfigLoader}): the image's, the on-site box's, and the Kubernetes one with the
 * {@code TIDEGATE_*} variables of every pod spec and patch that sets some. TLS files are replaced by
 * placeholders at the same paths after checking they come from the certificate mount (see
 * {@link GatewayConfigs}).
 */
class GatewayConfigurationsTest {

    private static final Path K8S_CONFIG = RepoFiles.K8S.resolve("base/tidegate.yaml");

    @TempDir
    Path scratch;

    @Test
    void imageConfiguration() {
        TidegateConfig config = GatewayConfigs.load(RepoFiles.read(RepoFiles.DEPLOY.resolve("docker/tidegate.yaml")),
                Map.of(), List.of(), scratch);
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/tidegate"));
        assertThat(config.listeners().values()).allSatisfy(l -> assertThat(l.host()).isEqualTo("0.0.0.0"));
        assertThat(config.listeners().get("mqtt").port()).isEqualTo(1883);
        assertThat(config.listeners().get("mqtts").port()).isEqualTo(8883);
        assertThat(config.admin().host()).isEqualTo("0.0.0.0");
        assertThat(config.admin().port()).isEqualTo(9090);
    }

    @Test
    void onSiteConfiguration() {
        TidegateConfig config = GatewayConfigs.load(RepoFiles.read(RepoFiles.DEPLOY.resolve("systemd/tidegate.yaml")),
                Map.of(), List.of("/etc/tidegate/tls"), scratch);
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/tidegate"));
        ListenerConfig mqtts = config.listeners().get("mqtts");
        assertThat(mqtts.isEnabled()).isTrue();
        assertThat(mqtts.tls().usesDevelopmentCertificates()).as("production certificates").isFalse();
        assertThat(config.listeners().get("mqtt").host()).isEqualTo("127.0.0.1");
    }

    @Test
    void kubernetesConfigurationOnItsOwn() {
        TidegateConfig config = GatewayConfigs.load(RepoFiles.read(K8S_CONFIG), Map.of(), List.of(), scratch);
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/tidegate"));
        assertThat(config.admin().host()).isEqualTo("0.0.0.0");
        assertThat(config.listeners().get("mqtts").host()).isEqualTo("0.0.0.0");
    }

    /** The base configuration with the variables of each file that sets TIDEGATE_* variables for a container. */
    @TestFactory
    Stream<DynamicTest> kubernetesConfigurationWithEachPodsVariables() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : RepoFiles.yamlFiles(RepoFiles.K8S)) {
            if (file.getFileName().toString().equals("kustomization.yaml") || file.equals(K8S_CONFIG)) {
                continue;
            }
            for (JsonNode document : StrictKubernetes.documents(RepoFiles.read(file))) {
                JsonNode podSpec = document.path("spec").path("template").path("spec");
                List<String> secretMounts = secretMounts(podSpec);
                for (JsonNode container : containers(podSpec)) {
                    Map<String, String> env = new LinkedHashMap<>();
                    container.path("env").forEach(v -> env.put(v.path("name").asText(), v.path("value").asText()));
                    if (env.keySet().stream().noneMatch(n -> n.startsWith("TIDEGATE_"))) {
                        continue;
                    }
                    String name = RepoFiles.relative(file) + " container " + container.path("name").asText();
                    tests.add(DynamicTest.dynamicTest(name, () -> {
                        Path dir = Files.createTempDirectory(scratch, "c");
                        List<String> mounts = new ArrayList<>();
                        container.path("volumeMounts").forEach(m -> {
                            if (secretMounts.contains(m.path("name").asText())) {
                                mounts.add(m.path("mountPath").asText());
                            }
                        });
                        GatewayConfigs.load(RepoFiles.read(K8S_CONFIG), env, mounts, dir);
                    }));
                }
            }
        }
        assertThat(tests).as("pod specs that set TIDEGATE_* variables").hasSizeGreaterThanOrEqualTo(3);
        return tests.stream();
    }

    private static List<JsonNode> containers(JsonNode podSpec) {
        List<JsonNode> containers = new ArrayList<>();
        podSpec.path("initContainers").forEach(containers::add);
        podSpec.path("containers").forEach(containers::add);
        return containers;
    }

    /** Names of the pod's volumes that are Secrets. */
    private static List<String> secretMounts(JsonNode podSpec) {
        List<String> names = new ArrayList<>();
        podSpec.path("volumes").forEach(v -> {
            if (v.has("secret")) {
                names.add(v.path("name").asText());
            }
        });
        return names;
    }

    @Test
    void theGatewaysValidationRunsOnWhatIsLoaded() throws IOException {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GatewayConfigs.load("admin: {port: 70000}\n", Map.of(), List.of(),
                Files.createTempDirectory(scratch, "x"))).hasMessageContaining("admin.port");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GatewayConfigs.load("admin: {prot: 9090}\n", Map.of(), List.of(),
                Files.createTempDirectory(scratch, "x"))).hasMessageContaining("prot");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GatewayConfigs.load("{}\n", Map.of("TIDEGATE_ADMIN_PROT", "1"),
                List.of(), Files.createTempDirectory(scratch, "x"))).hasMessageContaining("TIDEGATE_ADMIN_PROT");
    }

    @Test
    void placeholderMirroringRefusesTlsFilesOutsideTheCertificateMount() throws IOException {
        String yaml = "listeners:\n  mqtts:\n    tls: {certChain: /srv/x.pem, privateKey: /srv/x.key, trustedCa: /srv/ca.pem}\n";
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> GatewayConfigs.load(yaml, Map.of(), List.of("/etc/tidegate/tls"), Files.createTempDirectory(scratch, "x")))
                .hasMessageContaining("/srv/x.pem");
    }
}
