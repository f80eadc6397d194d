package io.tidegate.edge;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The listeners' event loops: native epoll where it loads, NIO otherwise. */
public final class EventLoops implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> serverChannel;
    private final String transport;

    public EventLoops(int workerThreads) {
        if (Epoll.isAvailable()) {
            boss = new EpollEventLoopGroup(1, new DefaultThreadFactory("tidegate-accept", true));
            workers = new EpollEventLoopGroup(workerThreads, new DefaultThreadFactory("tidegate-io", true));
            serverChannel = EpollServerSocketChannel.class;
            transport = "epoll";
        } else {
            log.info("native epoll unavailable ({}); using NIO", String.valueOf(Epoll.unavailabilityCause()));
            boss = new NioEventLoopGroup(1, new DefaultThreadFactory("tidegate-accept", true));
            workers = new NioEventLoopGroup(workerThreads, new DefaultThreadFactory("tidegate-io", true));
            serverChannel = NioServerSocketChannel.class;
            transport = "nio";
        }
    }

    public EventLoopGroup boss() {
        return boss;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public String transport() {
        return transport;
    }

    public void shutdown(Duration timeout) {
        boss.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(timeout.toMillis());
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
