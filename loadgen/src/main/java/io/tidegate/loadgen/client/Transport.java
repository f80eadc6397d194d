package io.tidegate.loadgen.client;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** The one event-loop group every connection of a run shares: native epoll where it loads, NIO otherwise. */
public final class Transport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelClass;
    private final boolean epoll;

    public Transport(int threads) {
        epoll = Epoll.isAvailable();
        if (epoll) {
            group = new EpollEventLoopGroup(threads, new DefaultThreadFactory("loadgen-io", true));
            channelClass = EpollSocketChannel.class;
        } else {
            log.info("native epoll unavailable ({}); using NIO", String.valueOf(Epoll.unavailabilityCause()));
            group = new NioEventLoopGroup(threads, new DefaultThreadFactory("loadgen-io", true));
            channelClass = NioSocketChannel.class;
        }
    }

    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends Channel> channelClass() {
        return channelClass;
    }

    public boolean isEpoll() {
        return epoll;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
