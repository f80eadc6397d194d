package io.tidegate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tidegate.config.ConfigTestSupport.loadYaml;
import static io.tidegate.config.ConfigTestSupport.yamlFailure;
import static org.assertj.core.api.Assertions.assertThat;

class ConfigValidatorTest {

    @TempDir
    Path dir;

    private List<String> problems(String yaml) {
        return yamlFailure(dir, yaml).problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void portOutOfRange() {
        assertThat(problems("listeners: {mqtts: {port: 70000}}\n"))
                .containsExactly("listeners.mqtts.port: 70000 is not allowed; expected an integer from 0 to 65535");
    }

    @Test
    void newListenerWithoutPortIsMissingIt() {
        assertThat(problems("listeners: {ws: {host: 0.0.0.0}}\n"))
                .containsExactly("listeners.ws.port: missing; expected an integer from 0 to 65535");
    }

    @Test
    void blankHostAndAdminPort() {
        assertThat(problems("""
                listeners: {mqtt: {host: " "}}
                admin: {port: -1}
                """)).containsExactly(
                "listeners.mqtt.host: \" \" is not allowed; expected a host name or IP address to bind",
                "admin.port: -1 is not allowed; expected an integer from 0 to 65535");
    }

    @Test
    void atLeastOneListenerMustBeEnabled() {
        assertThat(problems("listeners: {mqtt: {enabled: false}, mqtts: {enabled: false}}\n"))
                .containsExactly("listeners: no enabled listener; expected at least one listener with enabled: true");
    }

    @Test
    void mqttLimits() {
        assertThat(problems("""
                mqtt:
                  maxPacketSizeBytes: 268435456
                  maxClientIdLength: 0
                  connectTimeoutSeconds: 3601
                  maxKeepAliveSeconds: 65536
                  receiveMaximum: 0
                  maxSessionExpirySeconds: 4294967296
                  maxQueuedMessages: 0
                """)).containsExactly(
                "mqtt.maxPacketSizeBytes: 268435456 is not allowed; expected an integer from 64 to 268435455",
                "mqtt.maxClientIdLength: 0 is not allowed; expected an integer from 1 to 65535",
                "mqtt.connectTimeoutSeconds: 3601 is not allowed; expected an integer from 1 to 3600",
                "mqtt.maxKeepAliveSeconds: 65536 is not allowed; expected an integer from 0 to 65535",
                "mqtt.receiveMaximum: 0 is not allowed; expected an integer from 1 to 65535",
                "mqtt.maxSessionExpirySeconds: 4294967296 is not allowed; expected an integer from 0 to 4294967295",
                "mqtt.maxQueuedMessages: 0 is not allowed; expected an integer from 1 to 1000000");
    }

    @Test
    void policyReferencesMustExist() {
        assertThat(problems("""
                authorization:
                  defaultPolicy: devices
                  identities:
                    sensor-1.example.com: admins
                """)).containsExactly(
                "authorization.defaultPolicy: \"devices\" is not allowed; expected the name of a policy in"
                        + " authorization.policies (device, local)",
                "authorization.identities[\"sensor-1.example.com\"]: \"admins\" is not allowed; expected the name of a"
                        + " policy in authorization.policies (device, local)");
    }

    @Test
    void anonymousPolicyIsRequired() {
        assertThat(problems("authorization: {anonymousPolicy: ~}\n")).containsExactly(
                "authorization.anonymousPolicy: missing; expected the name of a policy in authorization.policies (device, local)");
    }

    @Test
    void badTopicFiltersAreNamedByIndex() {
        assertThat(problems("""
                authorization:
                  policies:
                    device:
                      publish: ["dt/${clientid}/#", "dt/#/x", "a+/b"]
                      subscribe: ["cmd/${user}/#", ""]
                      denySubscribe: ["cmd/#/x"]
                """)).containsExactly(
                "authorization.policies.device.publish[1]: \"dt/#/x\" is not allowed; '#' must be alone in the last level;"
                        + " expected a filter such as a/b/#",
                "authorization.policies.device.publish[2]: \"a+/b\" is not allowed; '+' must be alone in its level;"
                        + " expected a filter such as a/+/c",
                "authorization.policies.device.subscribe[0]: \"cmd/${user}/#\" is not allowed; unknown variable ${user};"
                        + " expected only ${clientid} or ${cn}",
                "authorization.policies.device.subscribe[1]: \"\" is not allowed; expected a non-empty topic filter",
                "authorization.policies.device.denySubscribe[0]: \"cmd/#/x\" is not allowed; '#' must be alone in the"
                        + " last level; expected a filter such as a/b/#");
    }

    @Test
    void ringSizeMustBeAPowerOfTwoInRange() {
        assertThat(problems("pipeline: {ringSize: 1000}\n"))
                .containsExactly("pipeline.ringSize: 1000 is not allowed; expected a power of two from 64 to 4194304");
        assertThat(problems("pipeline: {ringSize: 32}\n")).hasSize(1);
        assertThat(problems("pipeline: {ringSize: 8388608}\n")).hasSize(1);
        assertThat(loadYaml(dir, "pipeline: {ringSize: 64}\n").pipeline().ringSize()).isEqualTo(64);
        assertThat(loadYaml(dir, "pipeline: {ringSize: 4194304}\n").pipeline().ringSize()).isEqualTo(4_194_304);
    }

    @Test
    void pretouchDistanceIsBounded() {
        assertThat(problems("outbox: {pretouchAheadBytes: -1}\n"))
                .containsExactly("outbox.pretouchAheadBytes: -1 is not allowed; expected an integer from 0 to 1073741824");
        assertThat(problems("outbox: {pretouchAheadBytes: 1073741825}\n")).hasSize(1);
        assertThat(loadYaml(dir, "outbox: {}\n").outbox().pretouchAheadBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(loadYaml(dir, "outbox: {pretouchAheadBytes: 0}\n").outbox().pretouchAheadBytes()).isZero();
    }

    @Test
    void routingNeedsAConfiguredEnabledDestination() {
        assertThat(problems("routing: {defaultDestination: s3}\n")).containsExactly(
                "routing.defaultDestination: \"s3\" is not allowed; expected the name of an enabled destination (file)");
        assertThat(problems("destinations: {file: {enabled: false}}\n")).containsExactly(
                "routing.defaultDestination: \"file\" is not allowed; expected an enabled destination, but"
                        + " destinations.file.enabled is false");
    }

    @Test
    void destinationLimits() {
        assertThat(problems("""
                destinations:
                  Bad Name:
                    maxFileBytes: 1023
                    rollIntervalSeconds: 0
                    batch: {maxRecords: 100001, maxBytes: 1023, lingerMs: 60001, maxInFlight: 0}
                """)).containsExactly(
                "destinations[\"Bad Name\"]: \"Bad Name\" is not allowed as a destination name; expected 1 to 63 lower-case"
                        + " letters, digits, '_' or '-', starting with a letter or digit (it becomes a directory name)",
                "destinations[\"Bad Name\"].type: missing; expected one of file, kinesis, dynamodb, iotcore",
                "destinations[\"Bad Name\"].maxFileBytes: 1023 is not allowed; expected an integer of at least 1024",
                "destinations[\"Bad Name\"].rollIntervalSeconds: 0 is not allowed; expected an integer of at least 1",
                "destinations[\"Bad Name\"].batch.maxRecords: 100001 is not allowed; expected an integer from 1 to 100000",
                "destinations[\"Bad Name\"].batch.maxBytes: 1023 is not allowed; expected an integer from 1024 to 268435456",
                "destinations[\"Bad Name\"].batch.lingerMs: 60001 is not allowed; expected an integer from 0 to 60000",
                "destinations[\"Bad Name\"].batch.maxInFlight: 0 is not allowed; expected an integer from 1 to 64");
    }

    @Test
    void tlsFilesAreAllOrNothing() {
        Path chain = touch("chain.pem");

        assertThat(problems("listeners: {mqtts: {tls: {certChain: " + chain + "}}}\n")).containsExactly(
                "listeners.mqtts.tls.privateKey: missing; expected a PEM private key file; give certChain, privateKey and"
                        + " trustedCa, or none of them for development certificates",
                "listeners.mqtts.tls.trustedCa: missing; expected a PEM CA bundle file, because clientAuth is required"
                        + " and client certificates must chain to it");
    }

    @Test
    void trustedCaIsOptionalWithoutClientCertificates() {
        Path chain = touch("chain.pem");
        Path key = touch("key.pem");

        TidegateConfig config = loadYaml(dir, "listeners: {mqtts: {tls: {clientAuth: none, certChain: " + chain
                + ", privateKey: " + key + "}}}\n");

        assertThat(config.listeners().get("mqtts").tls().trustedCa()).isNull();
    }

    @Test
    void tlsFilesMustExistForEnabledListeners() {
        String tls = "{certChain: nope/chain.pem, privateKey: nope/key.pem, trustedCa: " + dir + "}";

        assertThat(problems("listeners: {mqtts: {tls: " + tls + "}}\n")).containsExactly(
                "listeners.mqtts.tls.certChain: \"" + dir.resolve("nope/chain.pem") + "\" does not exist; expected a readable PEM file",
                "listeners.mqtts.tls.privateKey: \"" + dir.resolve("nope/key.pem") + "\" does not exist; expected a readable PEM file",
                "listeners.mqtts.tls.trustedCa: \"" + dir + "\" is not a regular file; expected a readable PEM file");
        assertThat(loadYaml(dir, "listeners: {mqtts: {enabled: false, tls: " + tls + "}}\n").listeners()).containsKey("mqtts");
    }

    @Test
    void collectsEveryProblemBeforeFailing() {
        ConfigException e = yamlFailure(dir, """
                listeners: {mqtt: {port: 65536}}
                pipeline: {ringSize: 100}
                admin: {port: 65536}
                """);

        assertThat(e.problems()).extracting(ConfigProblem::subject)
                .containsExactly("listeners.mqtt.port", "pipeline.ringSize", "admin.port");
        assertThat(e.getMessage().lines()).hasSize(3);
    }

    @Test
    void validatesProgrammaticConfigs() {
        TidegateConfig defaults = ConfigLoader.loadDefaults();
        TidegateConfig broken = new TidegateConfig(null, Map.of(), defaults.mqtt(), defaults.authorization(), null,
                defaults.outbox(), defaults.routing(), defaults.destinations(), defaults.admin(), defaults.rules());

        assertThat(ConfigValidator.problems(broken)).extracting(ConfigProblem::toString).containsExactly(
                "dataDir: missing; expected a directory path for the gateway's data",
                "listeners: no enabled listener; expected at least one listener with enabled: true",
                "pipeline: missing; expected a mapping with fields ringSize, waitStrategy");
    }

    private Path touch(String name) {
        try {
            return Files.writeString(dir.resolve(name), "placeholder");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
