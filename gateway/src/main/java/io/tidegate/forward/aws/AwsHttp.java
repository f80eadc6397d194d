package io.tidegate.forward.aws;

import io.netty.util.concurrent.DefaultThreadFactory;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;

import java.time.Duration;

/**
 * The one asynchronous HTTP client every AWS destination of a gateway shares: one small Netty
 * event-loop group and one connection pool per endpoint, instead of a pool of threads per client.
 * Clients given this client do not close it; whoever made it does, after them.
 */
public final class AwsHttp implements AutoCloseable {

    private static final int EVENT_LOOP_THREADS = 2;
    /** Connections per endpoint: enough for every destination's writes in flight. */
    private static final int MAX_CONCURRENCY = 128;

    private final SdkAsyncHttpClient client;

    private AwsHttp(SdkAsyncHttpClient client) {
        this.client = client;
    }

    public static AwsHttp create() {
        SdkEventLoopGroup loops = SdkEventLoopGroup.builder().numberOfThreads(EVENT_LOOP_THREADS)
                .threadFactory(new DefaultThreadFactory("tidegate-aws-http", true)).build();
        return new AwsHttp(NettyNioAsyncHttpClient.builder()
                .eventLoopGroup(loops)
                .maxConcurrency(MAX_CONCURRENCY)
                // Short: after a refused connect the SDK's pool can leave an acquire pending until this
                // timeout (seen with the service down); a write then fails fast and is retried.
                .connectionAcquisitionTimeout(Duration.ofSeconds(5))
                .connectionTimeout(Duration.ofSeconds(10))
                .build());
    }

    public SdkAsyncHttpClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
