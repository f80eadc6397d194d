package io.tidegate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static io.tidegate.config.ConfigTestSupport.loadYaml;
import static io.tidegate.config.ConfigTestSupport.write;
import static io.tidegate.config.ConfigTestSupport.yamlFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsLoadAndValidate() {
        TidegateConfig config = ConfigLoader.loadDefaults();

        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.listeners()).containsOnlyKeys("mqtt", "mqtts");
        ListenerConfig mqtt = config.listeners().get("mqtt");
        assertThat(mqtt.port()).isEqualTo(1883);
        assertThat(mqtt.allowAnonymous()).isTrue();
        assertThat(mqtt.isTls()).isFalse();
        ListenerConfig mqtts = config.listeners().get("mqtts");
        assertThat(mqtts.host()).isEqualTo("0.0.0.0");
        assertThat(mqtts.port()).isEqualTo(8883);
        assertThat(mqtts.tls().clientAuth()).isEqualTo(TlsConfig.ClientAuth.REQUIRED);
        assertThat(mqtts.tls().identity()).isEqualTo(TlsConfig.IdentitySource.CN);
        assertThat(mqtts.tls().provider()).isEqualTo(TlsConfig.TlsProvider.AUTO);
        assertThat(mqtts.tls().usesDevelopmentCertificates()).isTrue();
        assertThat(config.mqtt()).isEqualTo(new MqttConfig(262_144, 128, 10, 0, 1024));
        assertThat(config.authorization().defaultPolicy()).isEqualTo("device");
        assertThat(config.authorization().anonymousPolicy()).isEqualTo("local");
        assertThat(config.authorization().clientIdMustMatchIdentity()).isTrue();
        assertThat(config.authorization().policies().get("device").publish()).containsExactly("dt/${clientid}/#");
        assertThat(config.pipeline()).isEqualTo(new PipelineConfig(16_384, PipelineConfig.WaitStrategy.BLOCKING));
        assertThat(config.outbox().rollCycle()).isEqualTo(OutboxConfig.RollCycle.TEN_MINUTELY);
        assertThat(config.routing().defaultDestination()).isEqualTo("file");
        DestinationConfig file = config.destinations().get("file");
        assertThat(file.type()).isEqualTo(DestinationConfig.DestinationType.FILE);
        assertThat(file.enabled()).isTrue();
        assertThat(file.directory()).isNull();
        assertThat(file.batch()).isEqualTo(new BatchConfig(1000, 4_194_304, 20));
        assertThat(config.admin()).isEqualTo(new AdminConfig(true, "127.0.0.1", 9090));
        assertThat(ConfigValidator.problems(config)).isEmpty();
    }

    @Test
    void fileMergesOverDefaultsKeyByKey() {
        TidegateConfig config = loadYaml(dir, """
                dataDir: /var/lib/tidegate
                listeners:
                  mqtts:
                    port: 18883
                    tls:
                      clientAuth: optional
                mqtt:
                  receiveMaximum: 10
                """);

        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/tidegate"));
        ListenerConfig mqtts = config.listeners().get("mqtts");
        assertThat(mqtts.port()).isEqualTo(18883);
        assertThat(mqtts.host()).isEqualTo("0.0.0.0");
        assertThat(mqtts.tls().clientAuth()).isEqualTo(TlsConfig.ClientAuth.OPTIONAL);
        assertThat(mqtts.tls().identity()).isEqualTo(TlsConfig.IdentitySource.CN);
        assertThat(config.listeners()).containsKey("mqtt");
        assertThat(config.mqtt().receiveMaximum()).isEqualTo(10);
        assertThat(config.mqtt().maxPacketSizeBytes()).isEqualTo(262_144);
    }

    @Test
    void fileListsReplaceDefaultListsAndNewEntriesAreAdded() {
        TidegateConfig config = loadYaml(dir, """
                authorization:
                  identities:
                    sensor-1.example.com: local
                  policies:
                    device:
                      publish: ["telemetry/${cn}/+"]
                destinations:
                  archive:
                    type: file
                    directory: /srv/archive
                """);

        TopicPolicyConfig device = config.authorization().policies().get("device");
        assertThat(device.publish()).containsExactly("telemetry/${cn}/+");
        assertThat(device.subscribe()).containsExactly("cmd/${clientid}/#");
        assertThat(config.authorization().policies()).containsKey("local");
        assertThat(config.authorization().identities()).containsEntry("sensor-1.example.com", "local");
        assertThat(config.destinations()).containsOnlyKeys("file", "archive");
        assertThat(config.destinations().get("archive").directory()).isEqualTo(Path.of("/srv/archive"));
        assertThat(config.destinations().get("archive").batch().maxRecords()).isEqualTo(1000);
    }

    @Test
    void enumsAcceptCaseAndDashOrUnderscore() {
        TidegateConfig config = loadYaml(dir, """
                listeners:
                  mqtts:
                    tls: {clientAuth: NONE, identity: san-dns, provider: Jdk}
                pipeline: {waitStrategy: Yielding}
                outbox: {rollCycle: five-minutely}
                """);

        TlsConfig tls = config.listeners().get("mqtts").tls();
        assertThat(tls.clientAuth()).isEqualTo(TlsConfig.ClientAuth.NONE);
        assertThat(tls.identity()).isEqualTo(TlsConfig.IdentitySource.SAN_DNS);
        assertThat(tls.provider()).isEqualTo(TlsConfig.TlsProvider.JDK);
        assertThat(config.pipeline().waitStrategy()).isEqualTo(PipelineConfig.WaitStrategy.YIELDING);
        assertThat(config.outbox().rollCycle()).isEqualTo(OutboxConfig.RollCycle.FIVE_MINUTELY);
    }

    @Test
    void emptyFileKeepsDefaults() {
        TidegateConfig config = loadYaml(dir, "# nothing to change\n");

        assertThat(config).isEqualTo(ConfigLoader.loadDefaults());
    }

    @Test
    void relativeTlsPathsAndDirectoriesResolveAgainstTheFilesFolder() throws Exception {
        Path configDir = Files.createDirectories(dir.resolve("etc"));
        Path certs = Files.createDirectories(configDir.resolve("certs"));
        for (String pem : List.of("chain.pem", "key.pem", "ca.pem")) {
            Files.writeString(certs.resolve(pem), "placeholder");
        }
        Path file = write(configDir, "tidegate.yaml", """
                dataDir: state
                listeners:
                  mqtts:
                    tls:
                      certChain: certs/chain.pem
                      privateKey: ./certs/key.pem
                      trustedCa: ../etc/certs/ca.pem
                destinations:
                  file:
                    directory: sink
                """);

        TidegateConfig config = ConfigLoader.load(Optional.of(file), Map.of());

        TlsConfig tls = config.listeners().get("mqtts").tls();
        assertThat(tls.certChain()).isEqualTo(certs.resolve("chain.pem"));
        assertThat(tls.privateKey()).isEqualTo(certs.resolve("key.pem"));
        assertThat(tls.trustedCa()).isEqualTo(certs.resolve("ca.pem"));
        assertThat(config.destinations().get("file").directory()).isEqualTo(configDir.resolve("sink"));
        assertThat(config.dataDir()).isEqualTo(Path.of("state"));
    }

    @Test
    void exampleConfigFromTestResourcesLoads() throws URISyntaxException {
        Path file = Path.of(Objects.requireNonNull(getClass().getResource("/config/tidegate-example.yaml")).toURI());

        TidegateConfig config = ConfigLoader.load(Optional.of(file), Map.of());

        TlsConfig tls = config.listeners().get("devices").tls();
        assertThat(tls.certChain()).isEqualTo(file.getParent().resolve("certs/server-chain.pem"));
        assertThat(tls.identity()).isEqualTo(TlsConfig.IdentitySource.SAN_URI);
        assertThat(config.listeners().get("mqtts").enabled()).isFalse();
        assertThat(config.routing().defaultDestination()).isEqualTo("cold-store");
        assertThat(config.authorization().identities()).containsEntry("gateway-test-1", "operator");
    }

    @Test
    void unknownFieldNamesThePathAndTheKnownFields() {
        ConfigException e = yamlFailure(dir, """
                listeners:
                  mqtt:
                    prot: 1884
                """);

        assertThat(e.getMessage())
                .isEqualTo("listeners.mqtt.prot: unknown field; known fields are enabled, host, port, allowAnonymous, tls");
        assertThat(e.problems()).singleElement()
                .satisfies(problem -> assertThat(problem.subject()).isEqualTo("listeners.mqtt.prot"));
    }

    @Test
    void unknownTopLevelField() {
        assertThat(yamlFailure(dir, "datadir: /tmp\n").getMessage())
                .isEqualTo("datadir: unknown field; known fields are dataDir, listeners, mqtt, authorization, pipeline,"
                        + " outbox, routing, destinations, admin, rules");
    }

    @Test
    void badEnumListsTheAllowedValues() {
        ConfigException e = yamlFailure(dir, """
                listeners:
                  mqtts:
                    tls:
                      clientAuth: sometimes
                """);

        assertThat(e.getMessage()).isEqualTo(
                "listeners.mqtts.tls.clientAuth: \"sometimes\" is not allowed; expected one of none, optional, required");
    }

    @Test
    void enumSpellingInMessagesUsesDashes() {
        assertThat(yamlFailure(dir, "outbox: {rollCycle: weekly}\n").getMessage()).isEqualTo(
                "outbox.rollCycle: \"weekly\" is not allowed; expected one of five-minutely, ten-minutely, half-hourly, hourly, daily");
    }

    @Test
    void textWhereANumberGoesNamesTheExpectedType() {
        assertThat(yamlFailure(dir, "mqtt: {maxPacketSizeBytes: big}\n").getMessage())
                .isEqualTo("mqtt.maxPacketSizeBytes: \"big\" is not allowed; expected an integer");
    }

    @Test
    void fractionWhereAnIntegerGoesIsRejected() {
        assertThat(yamlFailure(dir, "admin: {port: 9090.5}\n").getMessage())
                .isEqualTo("admin.port: 9090.5 is not allowed; expected an integer");
    }

    @Test
    void numberTooLargeForItsFieldNamesThePath() {
        assertThat(yamlFailure(dir, "listeners: {mqtt: {port: 99999999999}}\n").getMessage())
                .startsWith("listeners.mqtt.port: 99999999999 is not allowed; expected an integer from");
    }

    @Test
    void textWhereABooleanGoes() {
        assertThat(yamlFailure(dir, "admin: {enabled: maybe}\n").getMessage())
                .isEqualTo("admin.enabled: \"maybe\" is not allowed; expected true or false");
    }

    @Test
    void scalarWhereASectionGoesListsItsFields() {
        assertThat(yamlFailure(dir, "mqtt: 5\n").getMessage()).isEqualTo("mqtt: 5 is not allowed; expected a mapping with fields"
                + " maxPacketSizeBytes, maxClientIdLength, connectTimeoutSeconds, maxKeepAliveSeconds, receiveMaximum,"
                + " topicAliasMaximum, responseInformationPrefix, maxSessionExpirySeconds, maxQueuedMessages");
    }

    @Test
    void scalarWhereAListGoes() {
        assertThat(yamlFailure(dir, "authorization: {policies: {local: {publish: \"#\"}}}\n").getMessage())
                .isEqualTo("authorization.policies.local.publish: \"#\" is not allowed; expected a list of strings");
    }

    @Test
    void nullEntriesInMapsAndListsAreNamed() {
        ConfigException e = yamlFailure(dir, """
                listeners:
                  mqtt: ~
                authorization:
                  policies:
                    local:
                      publish: ["#", ~]
                """);

        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "listeners.mqtt: null is not allowed; expected a mapping with fields enabled, host, port, allowAnonymous, tls",
                "authorization.policies.local.publish[1]: null is not allowed; expected a string");
    }

    @Test
    void nulledSectionIsReportedMissing() {
        assertThat(yamlFailure(dir, "routing: ~\n").getMessage())
                .isEqualTo("routing: missing; expected a mapping with fields defaultDestination, unmatched");
    }

    @Test
    void topLevelMustBeAMapping() {
        Path file = write(dir, "list.yaml", "- a\n- b\n");

        assertThat(ConfigTestSupport.failure(Optional.of(file), Map.of()).getMessage())
                .isEqualTo("config file " + file + ": top level is a list; expected a mapping of settings");
    }

    @Test
    void missingFileIsReported() {
        Path file = dir.resolve("nope.yaml");

        ConfigException e = ConfigTestSupport.failure(Optional.of(file), Map.of());

        assertThat(e.getMessage()).isEqualTo("config file " + file + ": cannot be read (NoSuchFileException)");
        assertThat(e.problems()).singleElement().extracting(ConfigProblem::subject).isEqualTo("config file " + file);
    }

    @Test
    void unreadableFileIsReported() throws Exception {
        Path file = write(dir, "secret.yaml", "admin: {port: 1}\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(file)).as("running as root reads anything").isFalse();

        assertThat(ConfigTestSupport.failure(Optional.of(file), Map.of()).getMessage())
                .isEqualTo("config file " + file + ": cannot be read (AccessDeniedException)");
    }

    @Test
    void fileUnderARegularFileCannotBeRead() {
        Path file = write(dir, "plain.txt", "").resolve("tidegate.yaml");

        assertThat(ConfigTestSupport.failure(Optional.of(file), Map.of()).getMessage())
                .isEqualTo("config file " + file + ": cannot be read (FileSystemException: Not a directory)");
    }

    @Test
    void directoryInsteadOfFileIsReported() {
        assertThat(ConfigTestSupport.failure(Optional.of(dir), Map.of()).getMessage())
                .isEqualTo("config file " + dir + ": is a directory; expected a YAML file");
    }

    @Test
    void relativeFilePathIsReportedAbsolute() {
        ConfigException e = ConfigTestSupport.failure(Optional.of(Path.of("no-such-dir/tidegate.yaml")), Map.of());

        assertThat(e.getMessage()).isEqualTo("config file " + Path.of("no-such-dir/tidegate.yaml").toAbsolutePath()
                + ": cannot be read (NoSuchFileException)");
    }

    @Test
    void yamlSyntaxErrorGivesLineAndColumn() {
        Path file = write(dir, "broken.yaml", """
                listeners:
                  mqtt:
                    port: 1883
                   host: 0.0.0.0
                """);

        ConfigException e = ConfigTestSupport.failure(Optional.of(file), Map.of());

        assertThat(e.getMessage()).startsWith("config file " + file + ": invalid YAML at line 4, column 4: ");
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void unterminatedFlowListIsASyntaxError() {
        ConfigException e = yamlFailure(dir, "authorization: {policies: {local: {publish: [a/#, b\n");

        assertThat(e.getMessage()).endsWith(": invalid YAML at line 1, column 52: expected ',' or ']', but got <stream end>");
    }

    @Test
    void duplicateKeysAreRejected() {
        ConfigException e = yamlFailure(dir, """
                admin:
                  port: 1
                  port: 2
                """);

        assertThat(e.getMessage()).matches("config file .*: invalid YAML at line 3, column \\d+: duplicate key \"port\"");
    }
}
