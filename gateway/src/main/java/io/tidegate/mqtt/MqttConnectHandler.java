package io.tidegate.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.tidegate.mqtt.topic.Topics;
import io.tidegate.security.Identity;
import io.tidegate.security.TopicPolicy;
import io.tidegate.security.certs.CertificateIdentity;
import io.tidegate.config.MqttConfig;
import io.tidegate.config.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Owns a connection's session: accepts the CONNECT (version, client id, identity, policy, will,
 * keep alive), answers CONNACK, takes over an older connection with the same client id, refuses
 * anything before CONNECT and a second CONNECT, and cleans up (publishing the will) when the
 * connection ends. One instance per channel.
 */
final class MqttConnectHandler extends ChannelInboundHandlerAdapter {

    private static final Logger events = LoggerFactory.getLogger("tidegate.event");
    /** [MQTT-3.1.2-24]: the server allows one and a half keep-alive periods. */
    private static final double KEEP_ALIVE_GRACE = 1.5;

    /** Packets a client may pipeline behind its CONNECT while its session opens; more is abuse. */
    private static final int MAX_EARLY_PACKETS = 1_024;

    private final MqttServerContext server;
    private final ListenerContext listener;
    /** Set once the session is open and CONNACK written. */
    private MqttConnection connection;
    /** The client id of a CONNECT whose session is being opened (taken over, perhaps), else null. */
    private String opening;
    /** Packets read while the session opens, handled once it is open [MQTT-3.1.4-6]. */
    private ArrayDeque<Object> early;

    MqttConnectHandler(MqttServerContext server, ListenerContext listener) {
        this.server = server;
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (opening != null) {
            holdEarly(ctx, msg);
            return;
        }
        if (message instanceof MqttConnectMessage connect) {
            try {
                if (connection != null) {
                    // [MQTT-3.1.0-2]: a second CONNECT is a protocol violation.
                    server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.PROTOCOL_ERROR,
                            "second_connect", connection.clientId());
                } else {
                    connect(ctx, connect);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (connection == null) {
            // [MQTT-3.1.0-1]: the first packet must be CONNECT.
            ReferenceCountUtil.release(msg);
            server.disconnector().close(ctx.channel(), "packet_before_connect", null);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void holdEarly(ChannelHandlerContext ctx, Object msg) {
        if (early == null) {
            early = new ArrayDeque<>();
        }
        if (early.size() >= MAX_EARLY_PACKETS) {
            ReferenceCountUtil.release(msg);
            server.disconnector().close(ctx.channel(), "too_many_packets_before_connack", opening);
            return;
        }
        early.add(msg);
    }

    private void releaseEarly() {
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
            early = null;
        }
    }

    private void connect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        Channel channel = ctx.channel();
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        MqttVersion version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        boolean v5 = version == MqttVersion.MQTT_5;

        if (!willFlagsValid(header)) {
            // [MQTT-3.1.2-11], [MQTT-3.1.2-13..15] (3.1.1), [MQTT-3.1.2-12] (5.0); netty does not check them.
            refuseMalformed(channel, v5, "will_flags_invalid", payload.clientIdentifier());
            return;
        }
        int clientReceiveMaximum = v5 ? clientReceiveMaximum(header.properties()) : 65_535;
        int clientMaximumPacketSize = v5 ? clientMaximumPacketSize(header.properties()) : Integer.MAX_VALUE;
        if (clientReceiveMaximum == 0 || clientMaximumPacketSize == 0) {
            // MQTT 5.0 3.1.2.11.3 and 3.1.2.11.4: a value of 0 is a Protocol Error.
            server.disconnector().refuseConnect(channel, MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR,
                    "connect_property_zero", payload.clientIdentifier());
            return;
        }
        if (v5 && header.properties().getProperty(MqttProperties.MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
            server.disconnector().refuseConnect(channel, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "enhanced_auth_not_supported", payload.clientIdentifier());
            return;
        }
        if (DecodedStrings.illFormed(payload.clientIdentifier())
                || header.isWillFlag() && DecodedStrings.illFormed(payload.willTopic())) {
            // [MQTT-1.5.4-1]: netty decodes ill-formed UTF-8 to U+FFFD instead of failing.
            refuseMalformed(channel, v5, "utf8_malformed", null);
            return;
        }
        Optional<Identity> identity = identify(channel);
        if (identity.isEmpty()) {
            server.disconnector().refuseConnect(channel, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "anonymous_not_allowed",
                    payload.clientIdentifier());
            return;
        }
        String clientId = payload.clientIdentifier() == null ? "" : payload.clientIdentifier();
        if (clientId.codePointCount(0, clientId.length()) > server.config().maxClientIdLength()) {
            // netty's decoder checks the length for MQTT 3.1 only: [MQTT-3.1.3-9] (3.1.1), [MQTT-3.1.3-8] (5.0).
            server.disconnector().refuseConnect(channel, v5
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client_id_too_long", clientId);
            return;
        }
        boolean assigned = false;
        if (clientId.isEmpty()) {
            if (!v5 && !header.isCleanSession()) {
                // [MQTT-3.1.3-8]: an empty client id needs a clean session in 3.1.1.
                server.disconnector().refuseConnect(channel, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        "empty_client_id_without_clean_session", clientId);
                return;
            }
            clientId = server.authorizer().assignsIdentityAsClientId(identity.get())
                    ? identity.get().name() : "tidegate-" + UUID.randomUUID();
            assigned = true;
        }
        if (!server.authorizer().clientIdAllowed(clientId, identity.get())) {
            server.disconnector().refuseConnect(channel, v5
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client_id_does_not_match_identity",
                    clientId);
            return;
        }
        TopicPolicy policy = server.authorizer().policyFor(identity.get(), clientId);
        Will will = null;
        if (header.isWillFlag()) {
            will = will(header, payload);
            if (Topics.validateTopicName(will.topic()) != null) {
                server.disconnector().refuseConnect(channel, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID
                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "will_topic_invalid", clientId);
                return;
            }
            if (!policy.mayPublish(will.topic())) {
                server.disconnector().refuseConnect(channel, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "will_not_authorized", clientId);
                return;
            }
        }

        int keepAlive = v5 ? effectiveKeepAlive(header.keepAliveTimeSeconds()) : header.keepAliveTimeSeconds();
        long requestedExpiry = v5 ? sessionExpiry(header.properties())
                : header.isCleanSession() ? 0 : MqttConfig.SESSION_NEVER_EXPIRES;
        long expiry = Math.min(requestedExpiry, server.config().maxSessionExpirySeconds());
        int clientTopicAliasMaximum = v5 ? clientTopicAliasMaximum(header.properties()) : 0;
        boolean responseInformation = v5 && requestsResponseInformation(header.properties());
        long announcedExpiry = v5 && expiry != requestedExpiry ? expiry : -1;
        int serverKeepAlive = keepAlive != header.keepAliveTimeSeconds() ? keepAlive : -1;
        // Effectively final copies for the callbacks.
        Identity who = identity.get();
        Will connectWill = will;
        boolean assignedId = assigned;
        opening = clientId;
        channel.config().setAutoRead(false); // until the session is open; what was read waits in early
        server.sessions().open(new SessionRegistry.PendingOpen(channel, clientId, who, header.isCleanSession(), expiry,
                session -> new MqttConnection(channel, session, version, who, policy, clientReceiveMaximum,
                        clientMaximumPacketSize, clientTopicAliasMaximum, connectWill, expiry),
                (opened, sessionPresent) -> accepted(ctx, opened, sessionPresent, assignedId, keepAlive,
                        serverKeepAlive, responseInformation, announcedExpiry)));
    }

    /**
     * The registry gave the connection its session (on this event loop): CONNACK with Session
     * Present [MQTT-3.2.2-2, -3], then what the session kept, then the packets that came early.
     */
    private void accepted(ChannelHandlerContext ctx, MqttConnection opened, boolean sessionPresent, boolean assigned,
                          int keepAlive, int serverKeepAlive, boolean responseInformation, long announcedExpiry) {
        opening = null;
        Channel channel = ctx.channel();
        if (!channel.isActive() || opened.session().connection() != opened) {
            releaseEarly(); // closed meanwhile: channelInactive gave the session up
            return;
        }
        connection = opened;
        channel.attr(MqttConnection.KEY).set(opened);
        server.metrics().connected();
        installKeepAlive(ctx, keepAlive);
        channel.writeAndFlush(connAck(opened.version(), opened.clientId(), assigned, sessionPresent, serverKeepAlive,
                responseInformation, announcedExpiry));
        opened.session().resume(opened, sessionPresent);
        events.info("connect client={} remote={} identity={} version={} listener={} keepAlive={}s policy={} "
                        + "sessionPresent={}", opened.clientId(), channel.remoteAddress(), opened.identity(),
                opened.version(), listener.name(), keepAlive, opened.policy().name(), sessionPresent);
        channel.config().setAutoRead(true);
        ArrayDeque<Object> held = early;
        early = null;
        if (held != null) {
            for (Object msg : held) {
                if (channel.isActive()) {
                    channelRead(ctx, msg);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
        }
    }

    /** The client's identity on this listener, or empty when it has none and anonymous is not allowed. */
    private Optional<Identity> identify(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl != null && listener.identitySource() != null) {
            try {
                Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate cert) {
                    Optional<String> name = switch (listener.identitySource()) {
                        case CN -> CertificateIdentity.commonName(cert);
                        case SAN_DNS -> CertificateIdentity.firstDnsSan(cert);
                        case SAN_URI -> CertificateIdentity.firstUriSan(cert);
                    };
                    if (name.isPresent()) {
                        return Optional.of(new Identity(name.get(), sourceName(listener.identitySource())));
                    }
                }
            } catch (SSLPeerUnverifiedException noCertificate) {
                // Falls through to anonymous.
            }
        }
        return listener.allowAnonymous() ? Optional.of(Identity.ANONYMOUS) : Optional.empty();
    }

    private static String sourceName(TlsConfig.IdentitySource source) {
        return source.name().toLowerCase().replace('_', '-');
    }

    private Will will(MqttConnectVariableHeader header, MqttConnectPayload payload) {
        byte[] body = payload.willMessageInBytes() == null ? new byte[0] : payload.willMessageInBytes();
        MqttProperties.MqttProperty<?> delay = payload.willProperties() == null ? null
                : payload.willProperties().getProperty(MqttProperties.MqttPropertyType.WILL_DELAY_INTERVAL.value());
        return new Will(payload.willTopic(), body, header.willQos(), header.isWillRetain(),
                MessagePropertiesMapper.fromMqtt(payload.willProperties()),
                delay == null ? 0 : Integer.toUnsignedLong((Integer) delay.value()));
    }

    /**
     * The keep alive the server enforces on an MQTT 5 client: its own, capped by the configured
     * maximum and announced as Server Keep Alive. MQTT 3.1.1 cannot announce a different value, so
     * a 3.1.1 client keeps its own (capping it would disconnect healthy idle clients).
     */
    private int effectiveKeepAlive(int requested) {
        int max = server.config().maxKeepAliveSeconds();
        if (max > 0 && (requested == 0 || requested > max)) {
            return max;
        }
        return requested;
    }

    private void installKeepAlive(ChannelHandlerContext ctx, int keepAliveSeconds) {
        if (keepAliveSeconds == 0) {
            ctx.pipeline().remove(MqttHandlerNames.IDLE);
            return;
        }
        long readerIdleMillis = (long) Math.ceil(keepAliveSeconds * 1000 * KEEP_ALIVE_GRACE);
        ctx.pipeline().replace(MqttHandlerNames.IDLE, MqttHandlerNames.IDLE,
                new IdleStateHandler(readerIdleMillis, 0, 0, TimeUnit.MILLISECONDS));
    }

    private static int clientReceiveMaximum(MqttProperties properties) {
        MqttProperties.MqttProperty<?> p = properties.getProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
        return p == null ? 65_535 : (Integer) p.value();
    }

    /** The largest packet the client accepts [MQTT-3.1.2-24]; a Four Byte Integer, unlimited when absent. */
    private static int clientMaximumPacketSize(MqttProperties properties) {
        MqttProperties.MqttProperty<?> p =
                properties.getProperty(MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value());
        return p == null ? Integer.MAX_VALUE
                : (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong((Integer) p.value()));
    }

    /** Will QoS 0..2 with the Will Flag; no Will QoS or Will Retain without it. */
    private static boolean willFlagsValid(MqttConnectVariableHeader header) {
        return header.isWillFlag() ? header.willQos() <= 2 : header.willQos() == 0 && !header.isWillRetain();
    }

    /** MQTT 5 answers a malformed CONNECT with CONNACK 0x81; MQTT 3.1.1 has no code for it and closes. */
    private void refuseMalformed(Channel channel, boolean v5, String reason, String clientId) {
        if (v5) {
            server.disconnector().refuseConnect(channel, MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET,
                    reason, clientId);
        } else {
            server.disconnector().close(channel, reason, clientId);
        }
    }

    /** MQTT 5 Request Response Information = 1 (3.1.2.11.7). */
    private static boolean requestsResponseInformation(MqttProperties properties) {
        MqttProperties.MqttProperty<?> p = properties.getProperty(
                MqttProperties.MqttPropertyType.REQUEST_RESPONSE_INFORMATION.value());
        return p != null && Integer.valueOf(1).equals(p.value());
    }

    /** MQTT 5 Session Expiry Interval (3.1.2.11.2): a Four Byte Integer, 0 when absent. */
    private static long sessionExpiry(MqttProperties properties) {
        MqttProperties.MqttProperty<?> p = properties.getProperty(
                MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
        return p == null ? 0 : Integer.toUnsignedLong((Integer) p.value());
    }

    /** MQTT 5 Topic Alias Maximum (3.1.2.11.5): how many aliases the server may send; 0 when absent. */
    private static int clientTopicAliasMaximum(MqttProperties properties) {
        MqttProperties.MqttProperty<?> p = properties.getProperty(
                MqttProperties.MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value());
        return p == null ? 0 : (Integer) p.value();
    }

    /** @param announcedExpiry the Session Expiry Interval to announce when it is not the client's, else -1 */
    private MqttConnAckMessage connAck(MqttVersion version, String clientId, boolean assigned, boolean sessionPresent,
                                       int serverKeepAlive, boolean responseInformation, long announcedExpiry) {
        MqttMessageBuilders.ConnAckBuilder builder = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(sessionPresent);
        if (version == MqttVersion.MQTT_5) {
            builder.properties(p -> {
                p.maximumPacketSize(server.config().maxPacketSizeBytes());
                p.receiveMaximum(server.config().receiveMaximum());
                p.retainAvailable(true);
                p.sharedSubscriptionAvailable(true);
                p.subscriptionIdentifiersAvailable(true);
                p.wildcardSubscriptionAvailable(true);
                p.topicAliasMaximum(server.config().topicAliasMaximum());
                if (announcedExpiry >= 0) {
                    // 3.2.2.3.2: the server uses another Session Expiry Interval than the client asked for.
                    p.sessionExpiryInterval((int) announcedExpiry);
                }
                String prefix = server.config().responseInformationPrefix();
                if (responseInformation && prefix != null) {
                    // MQTT 5 3.2.2.3.15: the basis of a response topic; the policy decides who may use it.
                    p.responseInformation(prefix + clientId + "/");
                }
                if (assigned) {
                    p.assignedClientId(clientId);
                }
                if (serverKeepAlive >= 0) {
                    p.serverKeepAlive(serverKeepAlive);
                }
            });
        }
        return builder.build();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            server.sessions().detach(connection);
            server.metrics().disconnected();
            events.info("connection closed client={} remote={}", connection.clientId(), ctx.channel().remoteAddress());
        } else if (opening != null) {
            server.sessions().abandon(ctx.channel(), opening);
            opening = null;
        }
        releaseEarly();
        ctx.fireChannelInactive();
    }
}
