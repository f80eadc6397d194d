package io.tidegate.loadgen.client;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tidegate.loadgen.scenario.LoadSpec;

import java.nio.charset.StandardCharsets;

/** CONNECT packets for devices and subscribers: clean session, the run's keep alive and credentials. */
final class MqttConnects {

    private MqttConnects() {
    }

    static MqttConnectMessage device(LoadSpec spec, String clientId) {
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                .protocolVersion(spec.mqtt5() ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1)
                .clientId(clientId)
                .cleanSession(true)
                .keepAlive((int) spec.keepAlive().toSeconds());
        if (spec.username() != null) {
            connect.hasUser(true).username(spec.username().replace("{device}", clientId));
        }
        if (spec.password() != null) {
            connect.hasPassword(true).password(spec.password().getBytes(StandardCharsets.UTF_8));
        }
        return connect.build();
    }
}
