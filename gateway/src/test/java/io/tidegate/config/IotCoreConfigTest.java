package io.tidegate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.tidegate.config.ConfigTestSupport.loadYaml;
import static io.tidegate.config.ConfigTestSupport.write;
import static io.tidegate.config.ConfigTestSupport.yamlFailure;
import static org.assertj.core.api.Assertions.assertThat;

class IotCoreConfigTest {

    @TempDir
    Path dir;

    @Test
    void anIotCoreDestinationBindsWithIotCoresOwnLimitsAsDefaults() {
        Path cert = write(dir, "gw.pem", "x");
        Path key = write(dir, "gw.key", "x");
        TidegateConfig config = loadYaml(dir, """
                destinations:
                  cloud:
                    type: iotcore
                    iotcore:
                      endpoint: abc123-ats.iot.eu-west-1.amazonaws.com
                      certificate: %s
                      privateKey: %s
                      clientIdPrefix: depot-7
                """.formatted(cert, key));

        IotCoreConfig iot = config.destinations().get("cloud").iotcore();
        assertThat(iot.port()).isEqualTo(8883);
        assertThat(iot.alpn()).isFalse();
        assertThat(iot.connections()).isEqualTo(4);
        assertThat(iot.maxPublishesPerSecond()).isEqualTo(100);
        assertThat(iot.maxBytesPerSecond()).isEqualTo(512 * 1024);
        assertThat(iot.maxInFlight()).isEqualTo(100);
        assertThat(iot.topic()).isEqualTo("topic");
        assertThat(iot.downstream()).isEmpty();
        assertThat(iot.caCertificate()).isNull();
    }

    @Test
    void port443OffersAlpnByDefault() {
        IotCoreConfig iot = new IotCoreConfig("e", 443, null, null, null, null, "p", null, null, null, null, null, null,
                null, null, null);
        assertThat(iot.alpn()).isTrue();
    }

    @Test
    void problemsNameTheFieldAndIotCoresLimit() {
        assertThat(problems("""
                destinations:
                  cloud:
                    type: iotcore
                    iotcore:
                      endpoint: "mqtts://abc.iot.amazonaws.com:8883"
                      certificate: /no/such/cert.pem
                      clientIdPrefix: "bad prefix"
                      connections: 0
                      maxPublishesPerSecond: 101
                      maxBytesPerSecond: 600000
                      maxInFlight: 500
                      keepAliveSeconds: 5
                      topic: "a/b/c/d/e/f/g/h/i"
                      basicIngestRule: "my-rule"
                      downstream: ["cmd/#/x", "${clientid}/cmd"]
                """)).containsExactly(
                "destinations.cloud.iotcore.endpoint: \"mqtts://abc.iot.amazonaws.com:8883\" is not allowed; expected"
                        + " the account's IoT device data endpoint, e.g. abc123-ats.iot.eu-west-1.amazonaws.com"
                        + " (a host name: no scheme, no port)",
                "destinations.cloud.iotcore.privateKey: missing; expected its PEM private key file",
                "destinations.cloud.iotcore.certificate: \"/no/such/cert.pem\" does not exist; expected a readable PEM file",
                "destinations.cloud.iotcore.clientIdPrefix: \"bad prefix\" is not allowed; expected a client id prefix"
                        + " of 1 to 100 letters, digits, '_', '-' or ':'",
                "destinations.cloud.iotcore.connections: 0 is not allowed; expected an integer from 1 to 1000",
                "destinations.cloud.iotcore.maxPublishesPerSecond: 101 is not allowed; expected an integer from 1 to 100",
                "destinations.cloud.iotcore.maxBytesPerSecond: 600000 is not allowed; expected an integer from 1024"
                        + " to 524288",
                "destinations.cloud.iotcore.maxInFlight: 500 is not allowed; expected an integer from 1 to 100",
                "destinations.cloud.iotcore.keepAliveSeconds: 5 is not allowed; expected an integer from 30 to 1200",
                "destinations.cloud.iotcore.topic: \"a/b/c/d/e/f/g/h/i\" is not allowed; topic has 8 slashes;"
                        + " IoT Core allows 7",
                "destinations.cloud.iotcore.basicIngestRule: \"my-rule\" is not allowed; expected an IoT rule name"
                        + " of 1 to 128 letters, digits or '_'",
                "destinations.cloud.iotcore.downstream[0]: \"cmd/#/x\" is not allowed; '#' must be alone in the last"
                        + " level; expected a filter such as a/b/#",
                "destinations.cloud.iotcore.downstream[1]: \"${clientid}/cmd\" is not allowed; expected an MQTT topic"
                        + " filter such as cmd/+/#");
    }

    @Test
    void anIotCoreDestinationNeedsItsSection() {
        assertThat(problems("""
                destinations:
                  cloud: {type: iotcore}
                """)).containsExactly("destinations.cloud.iotcore: missing; expected a mapping with endpoint,"
                + " certificate, privateKey and clientIdPrefix");
    }

    private List<String> problems(String yaml) {
        return yamlFailure(dir, yaml).problems().stream().map(ConfigProblem::toString).toList();
    }
}
