package io.tidegate.loadgen.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioFilesTest {

    @TempDir
    Path dir;

    private Path scenario(String yaml) throws IOException {
        Path file = dir.resolve("scenario.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Flags parsed as the run command parses them. */
    private static ScenarioSettings flags(String... args) {
        ScenarioSettings settings = new ScenarioSettings();
        new CommandLine(settings).parseArgs(args);
        return settings;
    }

    @Test
    void shippedScenariosAreValid() throws IOException {
        List<Path> shipped;
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            shipped = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(shipped).extracting(p -> p.getFileName().toString())
                .containsExactly("burst.yaml", "connect-storm.yaml", "steady-fleet.yaml");
        for (Path file : shipped) {
            LoadSpec spec = LoadSpec.from(ScenarioFiles.load(file));
            assertThat(spec.devices()).as(file.toString()).isPositive();
        }
    }

    @Test
    void unknownKeysAreRefusedByName() throws IOException {
        Path file = scenario("devices: 5\nconectRate: 10\n");

        assertThatThrownBy(() -> ScenarioFiles.load(file)).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("unknown key 'conectRate'").hasMessageContaining("connectRate");
    }

    @Test
    void badValuesNameTheKey() throws IOException {
        assertThatThrownBy(() -> LoadSpec.from(ScenarioFiles.load(scenario("qos: 3\n"))))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("qos: 3");
        assertThatThrownBy(() -> LoadSpec.from(ScenarioFiles.load(scenario("duration: soon\n"))))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> ScenarioFiles.load(scenario("devices: many\n")))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("devices");
    }

    @Test
    void flagsOverrideTheScenarioAndTheRestKeepsItsValues() throws IOException {
        ScenarioSettings file = ScenarioFiles.load(scenario("devices: 100\nrate: 2\nqos: 2\nduration: 5m\n"));

        LoadSpec spec = LoadSpec.from(file.overriddenBy(flags("--devices", "7", "--mqtt-version", "5")));

        assertThat(spec.devices()).isEqualTo(7);
        assertThat(spec.mqtt5()).isTrue();
        assertThat(spec.ratePerDevice()).isEqualTo(2.0);
        assertThat(spec.qos()).isEqualTo(2);
        assertThat(spec.duration()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void relativePathsResolveAgainstTheScenarioFolder() throws IOException {
        Files.writeString(dir.resolve("ca.pem"), "x");
        Files.writeString(dir.resolve("template.json"), "{\"n\":{seq}}\n");
        ScenarioSettings settings = ScenarioFiles.load(scenario(
                "broker: mqtts://127.0.0.1:8883\ncaFile: ca.pem\npayloadTemplate: '@template.json'\n"));

        LoadSpec spec = LoadSpec.from(settings);

        assertThat(spec.tls().caFile()).isEqualTo(dir.resolve("ca.pem").toAbsolutePath().normalize());
        assertThat(spec.payload().text()).isEqualTo("{\"n\":{seq}}");
    }

    @Test
    void defaultsDescribeAPlainLocalRun() {
        LoadSpec spec = LoadSpec.from(new ScenarioSettings());

        assertThat(spec.broker()).isEqualTo(new BrokerAddress("127.0.0.1", 1883, false));
        assertThat(spec.deviceId(0)).isEqualTo("device-1");
        assertThat(spec.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.qos()).isEqualTo(1);
        assertThat(spec.subscribe()).isEmpty();
    }

    @Test
    void aRunMustEnd() {
        assertThatThrownBy(() -> LoadSpec.from(flags("--duration", "0")))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("duration");
        assertThat(LoadSpec.from(flags("--messages", "5")).duration()).isZero();
    }

    @Test
    void tlsBrokersNeedTrust() {
        assertThatThrownBy(() -> LoadSpec.from(flags("--broker", "mqtts://localhost")))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("caFile");
        assertThat(LoadSpec.from(flags("--broker", "mqtts://localhost", "--insecure")).broker().port()).isEqualTo(8883);
    }

    @Test
    void durationsReadAsWritten() {
        assertThat(Durations.parse("d", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("d", "90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("d", "1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("d", "2h")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void warmupComesFromTheFileOrTheFlagAndNeedsADuration() throws IOException {
        assertThat(LoadSpec.from(flags("--rate", "100")).warmup()).isZero();
        LoadSpec fromFile = LoadSpec.from(ScenarioFiles.load(scenario("warmup: 10s\nduration: 30s\n")));
        assertThat(fromFile.warmup()).isEqualTo(Duration.ofSeconds(10));
        assertThat(fromFile.describe()).containsEntry("warmup", "10s");
        assertThat(LoadSpec.from(flags("--warmup", "5s")).warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> LoadSpec.from(flags("--warmup", "5s", "--duration", "0", "--messages", "10")))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("warmup");
    }
}
