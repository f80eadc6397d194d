package io.tidegate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Fails a test when netty's leak detector reports a buffer that was garbage-collected without
 * being released. The detector runs at {@code paranoid} (the suite's argLine; set here too for runs
 * from an IDE) and reports through its logger, which this extension listens to. After each test it
 * collects garbage and allocates a few buffers, because the detector only reports when it tracks a
 * new allocation; a leak is then attributed to the test that just ran (or, rarely, a later one).
 */
final class NettyLeakCheck implements BeforeAllCallback, AfterEachCallback {

    private static final LeakReports REPORTS = new LeakReports();

    @Override
    public void beforeAll(ExtensionContext context) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        REPORTS.attach();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            LockSupport.parkNanos(5_000_000);
            for (int j = 0; j < 4; j++) {
                ByteBufAllocator.DEFAULT.buffer(16).release();
            }
        }
        assertThat(REPORTS.takeAll()).as("buffers leaked (netty leak detector reports)").isEmpty();
    }

    private static final class LeakReports extends AppenderBase<ILoggingEvent> {

        private final List<String> reports = new ArrayList<>();

        synchronized void attach() {
            if (isStarted()) {
                return;
            }
            Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
            setContext(logger.getLoggerContext());
            setName("netty-leak-check");
            start();
            logger.addAppender(this);
        }

        @Override
        protected synchronized void append(ILoggingEvent event) {
            if (event.getFormattedMessage().startsWith("LEAK")) {
                reports.add(event.getFormattedMessage());
            }
        }

        synchronized List<String> takeAll() {
            List<String> taken = List.copyOf(reports);
            reports.clear();
            return taken;
        }
    }
}
