package io.tidegate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static io.tidegate.config.ConfigTestSupport.envFailure;
import static io.tidegate.config.ConfigTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

class EnvironmentOverridesTest {

    @TempDir
    Path dir;

    private static TidegateConfig load(Map<String, String> environment) {
        return ConfigLoader.load(Optional.empty(), environment);
    }

    @Test
    void listenerPort() {
        assertThat(load(Map.of("TIDEGATE_LISTENERS_MQTTS_PORT", "8884")).listeners().get("mqtts").port()).isEqualTo(8884);
    }

    @Test
    void dataDir() {
        assertThat(load(Map.of("TIDEGATE_DATADIR", "/var/lib/tidegate")).dataDir()).isEqualTo(Path.of("/var/lib/tidegate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TIDEGATE_MQTT_MAXPACKETSIZEBYTES", "TIDEGATE_MQTT_MAX_PACKET_SIZE_BYTES", "TIDEGATE_MQTT_MAXPACKET_SIZEBYTES"})
    void multiWordKeysWithOrWithoutInnerUnderscores(String variable) {
        assertThat(load(Map.of(variable, "1024")).mqtt().maxPacketSizeBytes()).isEqualTo(1024);
    }

    @Test
    void enumValue() {
        TlsConfig tls = load(Map.of(
                "TIDEGATE_LISTENERS_MQTTS_TLS_CLIENTAUTH", "optional",
                "TIDEGATE_LISTENERS_MQTTS_TLS_IDENTITY", "SAN_URI",
                "TIDEGATE_OUTBOX_ROLL_CYCLE", "half-hourly")).listeners().get("mqtts").tls();

        assertThat(tls.clientAuth()).isEqualTo(TlsConfig.ClientAuth.OPTIONAL);
        assertThat(tls.identity()).isEqualTo(TlsConfig.IdentitySource.SAN_URI);
    }

    @Test
    void adminPortAndBoolean() {
        AdminConfig admin = load(Map.of("TIDEGATE_ADMIN_PORT", "9191", "TIDEGATE_ADMIN_ENABLED", "false")).admin();

        assertThat(admin.port()).isEqualTo(9191);
        assertThat(admin.enabled()).isFalse();
    }

    @Test
    void flowListReplacesAList() {
        TopicPolicyConfig device = load(Map.of("TIDEGATE_AUTHORIZATION_POLICIES_DEVICE_PUBLISH", "[a/#, b/#]"))
                .authorization().policies().get("device");

        assertThat(device.publish()).containsExactly("a/#", "b/#");
        assertThat(device.subscribe()).containsExactly("cmd/${clientid}/#");
    }

    @Test
    void flowListWithQuotedVariablesAndHash() {
        TopicPolicyConfig local = load(Map.of("TIDEGATE_AUTHORIZATION_POLICIES_LOCAL_SUBSCRIBE", "[\"#\", \"dt/${clientid}/#\"]"))
                .authorization().policies().get("local");

        assertThat(local.subscribe()).containsExactly("#", "dt/${clientid}/#");
    }

    @Test
    void singleValueForAListBecomesAOneElementList() {
        assertThat(load(Map.of("TIDEGATE_AUTHORIZATION_POLICIES_LOCAL_PUBLISH", "sensors/#"))
                .authorization().policies().get("local").publish()).containsExactly("sensors/#");
    }

    @Test
    void absentOptionalSectionIsCreated() {
        ListenerConfig mqtt = load(Map.of("TIDEGATE_LISTENERS_MQTT_TLS_CLIENTAUTH", "none")).listeners().get("mqtt");

        assertThat(mqtt.isTls()).isTrue();
        assertThat(mqtt.tls().clientAuth()).isEqualTo(TlsConfig.ClientAuth.NONE);
        assertThat(mqtt.tls().usesDevelopmentCertificates()).isTrue();
    }

    @Test
    void newMapEntriesGetLowerCasedKeys() {
        TidegateConfig config = load(Map.of(
                "TIDEGATE_LISTENERS_WS_PORT", "9001",
                "TIDEGATE_DESTINATIONS_COLD_STORAGE_TYPE", "file",
                "TIDEGATE_DESTINATIONS_COLD_STORAGE_BATCH_LINGER_MS", "100",
                "TIDEGATE_AUTHORIZATION_IDENTITIES_SENSOR_1", "local"));

        assertThat(config.listeners().get("ws").port()).isEqualTo(9001);
        assertThat(config.destinations()).containsKey("cold_storage");
        assertThat(config.destinations().get("cold_storage").batch().lingerMs()).isEqualTo(100);
        assertThat(config.authorization().identities()).containsEntry("sensor_1", "local");
    }

    @Test
    void existingKeysWithDashesMatchUnderscores() {
        Path file = write(dir, "tidegate.yaml", """
                destinations:
                  cold-store: {type: file}
                """);

        TidegateConfig config = ConfigLoader.load(Optional.of(file), Map.of("TIDEGATE_DESTINATIONS_COLD_STORE_ENABLED", "false"));

        assertThat(config.destinations()).containsOnlyKeys("file", "cold-store");
        assertThat(config.destinations().get("cold-store").enabled()).isFalse();
    }

    @Test
    void environmentWinsOverTheFile() {
        Path file = write(dir, "tidegate.yaml", "admin: {port: 7070, host: 0.0.0.0}\n");

        AdminConfig admin = ConfigLoader.load(Optional.of(file), Map.of("TIDEGATE_ADMIN_PORT", "7171")).admin();

        assertThat(admin.port()).isEqualTo(7171);
        assertThat(admin.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void textFieldsTakeTheValueVerbatim() {
        TidegateConfig config = load(Map.of("TIDEGATE_ADMIN_HOST", "on", "TIDEGATE_ROUTING_DEFAULTDESTINATION", "file"));

        assertThat(config.admin().host()).isEqualTo("on");
    }

    @Test
    void reservedAndForeignVariablesAreIgnored() {
        TidegateConfig config = load(Map.of(
                "TIDEGATE_CONFIG", "/etc/tidegate/tidegate.yaml",
                "PATH", "/usr/bin",
                "tidegate_admin_port", "1"));

        assertThat(config).isEqualTo(ConfigLoader.loadDefaults());
    }

    @Test
    void variablesReadByLogbackAndTheLauncherAreNotConfigPaths() {
        TidegateConfig config = load(Map.of(
                "TIDEGATE_LOG_LEVEL", "DEBUG",
                "TIDEGATE_EVENT_LOG_LEVEL", "WARN",
                "TIDEGATE_JAVA_OPTS", "-Xmx1g"));

        assertThat(config).isEqualTo(ConfigLoader.loadDefaults());
    }

    @Test
    void unknownVariableIsNamedWithTheKnownFields() {
        ConfigException e = envFailure(Map.of("TIDEGATE_LISTENERS_MQTTS_PROT", "1"));

        assertThat(e.getMessage()).isEqualTo("environment variable TIDEGATE_LISTENERS_MQTTS_PROT: matches no configuration"
                + " field; known fields under listeners.mqtts are enabled, host, port, allowAnonymous, tls");
    }

    @Test
    void unknownTopLevelVariable() {
        assertThat(envFailure(Map.of("TIDEGATE_DATA_DIRECTORY", "/x")).getMessage())
                .isEqualTo("environment variable TIDEGATE_DATA_DIRECTORY: matches no configuration field; known fields at the"
                        + " top level are dataDir, listeners, mqtt, authorization, pipeline, outbox, routing, destinations, admin,"
                        + " rules");
    }

    @Test
    void variableNamingASectionIsRejected() {
        assertThat(envFailure(Map.of("TIDEGATE_LISTENERS_MQTTS", "off")).getMessage())
                .isEqualTo("environment variable TIDEGATE_LISTENERS_MQTTS: matches no configuration field; listeners.mqtts"
                        + " is a section, not a field; its fields are enabled, host, port, allowAnonymous, tls");
    }

    @Test
    void variableNamingAMapAsksForAnEntry() {
        assertThat(envFailure(Map.of("TIDEGATE_LISTENERS", "x")).getMessage())
                .isEqualTo("environment variable TIDEGATE_LISTENERS: matches no configuration field; under listeners expected"
                        + " an entry name followed by one of its fields (enabled, host, port, allowAnonymous, tls)");
    }

    @Test
    void emptySegmentsMatchNothing() {
        assertThat(envFailure(Map.of("TIDEGATE_ADMIN__PORT", "1", "TIDEGATE_", "x")).problems())
                .extracting(ConfigProblem::subject)
                .containsExactly("environment variable TIDEGATE_", "environment variable TIDEGATE_ADMIN__PORT");
    }

    @Test
    void everyBadVariableIsReported() {
        ConfigException e = envFailure(Map.of("TIDEGATE_ADMIN_PROT", "1", "TIDEGATE_MQTT_MAXPACKET", "2"));

        assertThat(e.problems()).extracting(ConfigProblem::subject)
                .containsExactly("environment variable TIDEGATE_ADMIN_PROT", "environment variable TIDEGATE_MQTT_MAXPACKET");
    }

    @Test
    void twoVariablesForOneFieldConflict() {
        ConfigException e = envFailure(Map.of("TIDEGATE_ADMIN_PORT", "1", "TIDEGATE_ADMIN_P_O_R_T", "2"));

        assertThat(e.getMessage()).isEqualTo("environment variable TIDEGATE_ADMIN_P_O_R_T: sets admin.port, which"
                + " TIDEGATE_ADMIN_PORT sets too; keep one of them");
    }

    @Test
    void invalidFlowListNamesTheVariable() {
        ConfigException e = envFailure(Map.of("TIDEGATE_AUTHORIZATION_POLICIES_LOCAL_PUBLISH", "[a/#, b"));

        assertThat(e.getMessage()).startsWith("environment variable TIDEGATE_AUTHORIZATION_POLICIES_LOCAL_PUBLISH: "
                + "\"[a/#, b\" is not a valid YAML flow list");
    }

    @Test
    void rejectedValueNamesTheVariableThatSetIt() {
        ConfigException e = envFailure(Map.of("TIDEGATE_LISTENERS_MQTTS_PORT", "70000"));

        assertThat(e.getMessage()).isEqualTo("listeners.mqtts.port: 70000 is not allowed; expected an integer from 0 to 65535"
                + " (set by TIDEGATE_LISTENERS_MQTTS_PORT)");
    }

    @Test
    void badlyTypedValueNamesTheFieldAndTheVariable() {
        ConfigException e = envFailure(Map.of("TIDEGATE_PIPELINE_RINGSIZE", "lots"));

        assertThat(e.getMessage()).isEqualTo("pipeline.ringSize: \"lots\" is not allowed; expected an integer"
                + " (set by TIDEGATE_PIPELINE_RINGSIZE)");
    }

    @Test
    void badEnumFromTheEnvironment() {
        ConfigException e = envFailure(Map.of("TIDEGATE_LISTENERS_MQTTS_TLS_CLIENTAUTH", "sometimes"));

        assertThat(e.getMessage()).isEqualTo("listeners.mqtts.tls.clientAuth: \"sometimes\" is not allowed; expected one of"
                + " none, optional, required (set by TIDEGATE_LISTENERS_MQTTS_TLS_CLIENTAUTH)");
    }
}
