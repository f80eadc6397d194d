package io.tidegate.deploy;

import io.tidegate.config.TidegateConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/systemd/tidegate.service: read as systemd reads a unit file, it runs the jar with the on-site
 * configuration as an unprivileged user, restarts on failure, leaves time for the graceful stop and is
 * hardened; its paths agree with the configuration and INSTALL.md. {@code systemd-analyze verify} checks
 * it too where systemd is installed.
 */
class SystemdUnitTest {

    private static final Path UNIT = RepoFiles.DEPLOY.resolve("systemd/tidegate.service");

    @TempDir
    Path scratch;

    /** Sections → keys → values in order (a key may repeat). */
    static Map<String, Map<String, List<String>>> parse(String text) {
        Map<String, Map<String, List<String>>> unit = new LinkedHashMap<>();
        Map<String, List<String>> section = null;
        StringBuilder pending = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            line = pending.append(line).toString().strip();
            pending.setLength(0);
            if (line.startsWith("[") && line.endsWith("]")) {
                section = unit.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (section == null || eq <= 0) {
                throw new AssertionError("not a unit file line: " + raw);
            }
            section.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
        }
        return unit;
    }

    private static String one(Map<String, List<String>> section, String key) {
        List<String> values = section.get(key);
        assertThat(values).as(key).isNotNull().hasSize(1);
        return values.get(0);
    }

    @Test
    void unitRunsTheGatewayAsAHardenedService() {
        Map<String, Map<String, List<String>>> unit = parse(RepoFiles.read(UNIT));
        assertThat(unit).containsOnlyKeys("Unit", "Service", "Install");
        Map<String, List<String>> u = unit.get("Unit");
        Map<String, List<String>> s = unit.get("Service");
        assertThat(one(u, "Description")).isNotBlank();
        assertThat(one(u, "After")).contains("network-online.target");
        assertThat(one(u, "Wants")).contains("network-online.target");
        assertThat(one(unit.get("Install"), "WantedBy")).isEqualTo("multi-user.target");

        assertThat(one(s, "User")).isEqualTo("tidegate");
        assertThat(one(s, "Group")).isEqualTo("tidegate");
        List<String> exec = Arrays.asList(one(s, "ExecStart").split("\\s+"));
        assertThat(exec.get(0)).isEqualTo("/usr/bin/java");
        assertThat(exec).contains("-Dchronicle.analytics.disable=true", "$JAVA_OPTS");
        assertThat(s.get("Environment")).contains("\"MALLOC_ARENA_MAX=2\"");
        assertThat(String.join(" ", exec)).endsWith("-jar /opt/tidegate/lib/tidegate.jar run --config /etc/tidegate/tidegate.yaml");
        assertThat(one(s, "Restart")).isIn("on-failure", "always");
        // The gateway's stop: ring drain (≤ 10 s), event loops (≤ 5 s), forwarders (≤ 10 s), with margin.
        assertThat(Integer.parseInt(one(s, "TimeoutStopSec"))).isGreaterThanOrEqualTo(30);
        assertThat(s.getOrDefault("KillSignal", List.of("SIGTERM"))).containsExactly("SIGTERM");
        assertThat(s.getOrDefault("KillMode", List.of("control-group"))).doesNotContain("none");

        assertThat(one(s, "NoNewPrivileges")).isEqualTo("yes");
        assertThat(one(s, "ProtectSystem")).isEqualTo("strict");
        assertThat(one(s, "PrivateTmp")).isEqualTo("yes");
        assertThat(one(s, "ProtectHome")).isEqualTo("yes");
        assertThat(one(s, "CapabilityBoundingSet")).isEmpty();
        assertThat(s).as("the JIT compiler needs writable, executable memory").doesNotContainKey("MemoryDenyWriteExecute");
        assertThat(s.getOrDefault("StandardError", List.of("journal"))).containsExactly("journal");

        // The data directory: the one in the configuration, made by systemd, the only writable path.
        TidegateConfig config = GatewayConfigs.load(RepoFiles.read(RepoFiles.DEPLOY.resolve("systemd/tidegate.yaml")),
                Map.of(), List.of("/etc/tidegate/tls"), scratch);
        String dataDir = config.dataDir().toString();
        assertThat("/var/lib/" + one(s, "StateDirectory")).isEqualTo(dataDir);
        assertThat(one(s, "ReadWritePaths")).isEqualTo(dataDir);
        assertThat(one(s, "WorkingDirectory")).isEqualTo(dataDir);

        // INSTALL.md puts the jar, the unit and the configuration where the unit expects them.
        String install = RepoFiles.read(RepoFiles.DEPLOY.resolve("systemd/INSTALL.md"));
        assertThat(install).contains("gateway/target/tidegate.jar /opt/tidegate/lib/tidegate.jar")
                .contains("deploy/systemd/tidegate.yaml /etc/tidegate/tidegate.yaml")
                .contains("deploy/systemd/tidegate.service /etc/systemd/system/tidegate.service")
                .contains("useradd --system");
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit() throws Exception {
        Assumptions.assumeTrue(Commands.onPath("systemd-analyze"), "systemd-analyze is not installed");
        Path copy = Files.copy(UNIT, scratch.resolve("tidegate.service"));
        Path out = scratch.resolve("verify.txt");
        Process p = new ProcessBuilder("systemd-analyze", "verify", copy.toString()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).as("warnings about the unit").doesNotContain(copy.getFileName().toString() + ":");
    }
}
