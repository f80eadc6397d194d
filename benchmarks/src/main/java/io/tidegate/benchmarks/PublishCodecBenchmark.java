package io.tidegate.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT 3.1.1 PUBLISH (QoS 1, 200-byte payload, topic {@code dt/truck-0042/telemetry}) through
 * netty-codec-mqtt's {@link MqttDecoder} and {@link MqttEncoder}, each in an {@link EmbeddedChannel},
 * one thread. Every buffer the codec hands out is released in the operation, so the figures include
 * the allocator's work as on the gateway's event loops.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PublishCodecBenchmark -f 1 -wi 3 -i 5 -t 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PublishCodecBenchmark {

    private EmbeddedChannel decoder;
    private EmbeddedChannel encoder;
    /** The encoded PUBLISH, fed to the decoder as a retained duplicate each time. */
    private ByteBuf encoded;
    /** The payload, handed to each message to encode as a retained duplicate (the encoder releases it). */
    private ByteBuf payload;
    private int packetId;

    @Setup
    public void setUp() {
        byte[] bytes = RulesBenchmark.PAYLOAD.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != 200) {
            throw new IllegalStateException("payload is " + bytes.length + " bytes, expected 200");
        }
        payload = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        decoder = new EmbeddedChannel(new MqttDecoder());
        encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);

        encoder.writeOutbound(publish(1));
        encoded = Unpooled.directBuffer(256);
        for (ByteBuf part = encoder.readOutbound(); part != null; part = encoder.readOutbound()) {
            encoded.writeBytes(part);
            part.release();
        }

        // Check once that the decoder gives back what was encoded.
        MqttPublishMessage decoded = decodeOnce();
        try {
            if (decoded.decoderResult().isFailure() || decoded.fixedHeader().qosLevel() != MqttQoS.AT_LEAST_ONCE
                    || decoded.payload().readableBytes() != 200
                    || !decoded.variableHeader().topicName().equals(RulesBenchmark.TOPIC)) {
                throw new IllegalStateException("the decoder did not return the encoded PUBLISH: " + decoded);
            }
        } finally {
            decoded.release();
        }
    }

    @TearDown
    public void tearDown() {
        decoder.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
        encoded.release();
        payload.release();
    }

    private MqttPublishMessage publish(int id) {
        return MqttMessageBuilders.publish()
                .topicName(RulesBenchmark.TOPIC)
                .qos(MqttQoS.AT_LEAST_ONCE)
                .retained(false)
                .messageId(id)
                .payload(payload.retainedDuplicate())
                .build();
    }

    private MqttPublishMessage decodeOnce() {
        decoder.writeInbound(encoded.retainedDuplicate());
        return decoder.readInbound();
    }

    @Benchmark
    public int decode() {
        MqttPublishMessage message = decodeOnce();
        try {
            return message.variableHeader().packetId() + message.payload().readableBytes();
        } finally {
            message.release();
        }
    }

    @Benchmark
    public int encode() {
        packetId = packetId == 65_535 ? 1 : packetId + 1;
        encoder.writeOutbound(publish(packetId));
        int bytes = 0;
        for (ByteBuf out = encoder.readOutbound(); out != null; out = encoder.readOutbound()) {
            bytes += out.readableBytes();
            out.release();
        }
        return bytes;
    }
}
