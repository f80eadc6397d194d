package io.tidegate.loadgen.payload;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Finds the {@code "sentAtUs":} field in a received payload without decoding it: subscribers read it per message. */
public final class SentTimestamps {

    private static final byte[] KEY = "\"sentAtUs\":".getBytes(StandardCharsets.US_ASCII);

    private SentTimestamps() {
    }

    /** The epoch-microsecond send time in the payload, or -1 when it has none. */
    public static long find(ByteBuf payload) {
        int from = payload.readerIndex();
        int last = payload.writerIndex() - KEY.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int k = 0; k < KEY.length; k++) {
                if (payload.getByte(i + k) != KEY[k]) {
                    continue outer;
                }
            }
            return digitsAt(payload, i + KEY.length);
        }
        return -1;
    }

    private static long digitsAt(ByteBuf payload, int index) {
        long value = 0;
        int digits = 0;
        for (int i = index; i < payload.writerIndex() && digits < 19; i++, digits++) {
            byte b = payload.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
        }
        return digits == 0 ? -1 : value;
    }
}
