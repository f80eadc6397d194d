package io.tidegate.mqtt;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tidegate.mqtt.topic.SharedSubscription;
import io.tidegate.mqtt.topic.SubscriptionOptions;
import io.tidegate.mqtt.topic.Topics;

import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE and UNSUBSCRIBE: validates and authorizes each filter and answers with one code per
 * filter (granted QoS, or 0x80 in MQTT 3.1.1 and the specific reason in MQTT 5), then sends the
 * retained messages the new subscriptions get. Stateless.
 */
@ChannelHandler.Sharable
final class MqttSubscribeHandler extends SimpleChannelInboundHandler<MqttMessage> {

    private static final int V3_FAILURE = 0x80;
    private static final int NO_SUBSCRIPTION_EXISTED = 0x11;

    private final MqttServerContext server;

    MqttSubscribeHandler(MqttServerContext server) {
        super(MqttMessage.class, false);
        this.server = server;
    }

    @Override
    public boolean acceptInboundMessage(Object msg) {
        return msg instanceof MqttSubscribeMessage || msg instanceof MqttUnsubscribeMessage;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        MqttConnection connection = MqttConnection.of(ctx.channel());
        if (msg instanceof MqttSubscribeMessage subscribe) {
            if (subscribe.payload().topicSubscriptions().isEmpty()) {
                refuseEmpty(ctx, connection, "subscribe_without_filters");
            } else if (illFormedFilter(subscribe)) {
                // [MQTT-1.5.4-1, -2]: a filter of ill-formed UTF-8 (decoded to U+FFFD) or with U+0000.
                server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.MALFORMED_PACKET,
                        "topic_filter_malformed", connection.clientId());
            } else if (connection.version() != MqttVersion.MQTT_5 && v5OptionsInV3(subscribe)) {
                // 3.1.1 [MQTT-3.8.3-4]: bits 2-7 of the requested QoS byte are reserved; set, the packet is malformed.
                server.disconnector().close(ctx.channel(), "subscribe_reserved_bits", connection.clientId());
            } else if (noLocalOnShared(subscribe)) {
                // [MQTT-3.8.3-4]: No Local set on a shared subscription is a Protocol Error.
                server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.PROTOCOL_ERROR,
                        "no_local_on_shared_subscription", connection.clientId());
            } else {
                int subscriptionId = subscriptionId(subscribe);
                if (subscriptionId < 0) {
                    // 3.8.2.1.2: a Subscription Identifier of 0, or more than one, is a Protocol Error.
                    server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.PROTOCOL_ERROR,
                            "subscription_identifier_invalid", connection.clientId());
                    return;
                }
                List<MqttSession.Delivery> retained = new ArrayList<>();
                ctx.writeAndFlush(subscribe(connection, subscribe, subscriptionId, retained));
                // After the SUBACK, so a client sees its subscription confirmed before its retained messages.
                connection.session().deliverNow(connection, retained);
            }
        } else if (msg instanceof MqttUnsubscribeMessage unsubscribe) {
            if (unsubscribe.payload().topics().isEmpty()) {
                refuseEmpty(ctx, connection, "unsubscribe_without_filters");
            } else {
                ctx.writeAndFlush(unsubscribe(connection, unsubscribe));
            }
        }
    }

    /** The SUBSCRIBE's Subscription Identifier (MQTT 5), 0 when it has none, -1 when it is invalid. */
    private static int subscriptionId(MqttSubscribeMessage subscribe) {
        List<? extends MqttProperties.MqttProperty> ids = subscribe.idAndPropertiesVariableHeader().properties()
                .getProperties(MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value());
        if (ids.isEmpty()) {
            return 0;
        }
        int id = (Integer) ids.get(0).value();
        return ids.size() > 1 || id < 1 || id > SubscriptionOptions.MAX_SUBSCRIPTION_ID ? -1 : id;
    }

    private static boolean illFormedFilter(MqttSubscribeMessage subscribe) {
        for (MqttTopicSubscription request : subscribe.payload().topicSubscriptions()) {
            if (DecodedStrings.illFormed(request.topicFilter())) {
                return true;
            }
        }
        return false;
    }

    /** Bits netty decodes as MQTT 5 subscription options, which are reserved in 3.1.1 (bits 6-7 it drops). */
    private static boolean v5OptionsInV3(MqttSubscribeMessage subscribe) {
        for (MqttTopicSubscription request : subscribe.payload().topicSubscriptions()) {
            MqttSubscriptionOption option = request.option();
            if (option.isNoLocal() || option.isRetainAsPublished()
                    || option.retainHandling() != MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE) {
                return true;
            }
        }
        return false;
    }

    private static boolean noLocalOnShared(MqttSubscribeMessage subscribe) {
        for (MqttTopicSubscription request : subscribe.payload().topicSubscriptions()) {
            if (request.option().isNoLocal() && Topics.isShared(request.topicFilter())) {
                return true;
            }
        }
        return false;
    }

    /** [MQTT-3.8.3-2] and [MQTT-3.10.3-2]: a (UN)SUBSCRIBE needs at least one topic filter. */
    private void refuseEmpty(ChannelHandlerContext ctx, MqttConnection connection, String reason) {
        server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.PROTOCOL_ERROR, reason,
                connection.clientId());
    }

    /**
     * Subscribes each valid and authorized filter with its options and collects the retained
     * messages it gets now: all matching ones for Retain Handling 0, only for a new subscription
     * with 1, none with 2 [MQTT-3.3.1-9, -10, -11], at the lower of their QoS and the granted one,
     * with RETAIN set [MQTT-3.3.1-8].
     */
    private MqttSubAckMessage subscribe(MqttConnection connection, MqttSubscribeMessage subscribe, int subscriptionId,
                                        List<MqttSession.Delivery> retained) {
        MqttSession session = connection.session();
        List<MqttTopicSubscription> requests = subscribe.payload().topicSubscriptions();
        int[] codes = new int[requests.size()];
        boolean v5 = connection.version() == MqttVersion.MQTT_5;
        for (int i = 0; i < codes.length; i++) {
            MqttTopicSubscription request = requests.get(i);
            String filter = request.topicFilter();
            int qos = request.qualityOfService().value();
            SharedSubscription sharing = SharedSubscription.parse(filter);
            if (Topics.validateTopicFilter(filter) != null) {
                codes[i] = v5 ? ReasonCodes.TOPIC_FILTER_INVALID & 0xFF : V3_FAILURE;
                server.metrics().rejected("topic_filter_invalid");
            } else if (!connection.policy().maySubscribe(sharing != null ? sharing.filter() : filter)) {
                codes[i] = v5 ? ReasonCodes.NOT_AUTHORIZED & 0xFF : V3_FAILURE;
                server.metrics().rejected("subscribe_not_authorized");
            } else if (sharing != null) {
                // No retained messages for a shared subscription (4.8.2); No Local was refused before.
                server.shared().subscribe(sharing, session,
                        new SubscriptionOptions(qos, false, v5 && request.option().isRetainAsPublished(), subscriptionId));
                codes[i] = qos;
            } else {
                MqttSubscriptionOption option = request.option();
                boolean existed = server.subscriptions().subscribe(filter, session, new SubscriptionOptions(qos,
                        v5 && option.isNoLocal(), v5 && option.isRetainAsPublished(), subscriptionId));
                codes[i] = qos;
                MqttSubscriptionOption.RetainedHandlingPolicy handling = v5 ? option.retainHandling()
                        : MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE;
                boolean send = handling == MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE
                        || (handling == MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS
                        && !existed);
                if (send) {
                    for (RetainedMessages.Retained message : server.retained().matching(filter)) {
                        retained.add(new MqttSession.Delivery(message.publish(), Math.min(qos, message.qos()), true,
                                OutboundPublish.subscriptionIds(subscriptionId)));
                    }
                }
            }
        }
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
        return new MqttSubAckMessage(header, new MqttMessageIdAndPropertiesVariableHeader(
                subscribe.idAndPropertiesVariableHeader().messageId(), MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes));
    }

    private MqttUnsubAckMessage unsubscribe(MqttConnection connection, MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        short[] codes = new short[filters.size()];
        for (int i = 0; i < codes.length; i++) {
            SharedSubscription sharing = SharedSubscription.parse(filters.get(i));
            boolean existed = sharing != null ? server.shared().unsubscribe(sharing, connection.session())
                    : server.subscriptions().unsubscribe(filters.get(i), connection.session());
            codes[i] = (short) (existed ? 0 : NO_SUBSCRIPTION_EXISTED);
        }
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
        MqttMessageIdAndPropertiesVariableHeader variable = new MqttMessageIdAndPropertiesVariableHeader(
                unsubscribe.idAndPropertiesVariableHeader().messageId(), MqttProperties.NO_PROPERTIES);
        return connection.version() == MqttVersion.MQTT_5
                ? new MqttUnsubAckMessage(header, variable, new MqttUnsubAckPayload(codes))
                : new MqttUnsubAckMessage(header, variable, null);
    }
}
