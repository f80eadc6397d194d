package io.tidegate.loadgen.payload;

import io.netty.buffer.ByteBuf;

/** Writes numbers as ASCII digits straight into a buffer: no String per message on the publish path. */
public final class AsciiNumbers {

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private AsciiNumbers() {
    }

    public static void writeLong(ByteBuf out, long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                out.writeCharSequence(Long.toString(value), java.nio.charset.StandardCharsets.US_ASCII);
                return;
            }
            out.writeByte('-');
            value = -value;
        }
        int digits = digits(value);
        for (int i = digits - 1; i >= 0; i--) {
            out.writeByte((int) ('0' + (value / POWERS_OF_TEN[i]) % 10));
        }
    }

    /** A value in hundredths as a decimal with two places: 2137 → {@code 21.37}, -5 → {@code -0.05}. */
    public static void writeHundredths(ByteBuf out, long hundredths) {
        if (hundredths < 0) {
            out.writeByte('-');
            hundredths = -hundredths;
        }
        writeLong(out, hundredths / 100);
        long cents = hundredths % 100;
        out.writeByte('.');
        out.writeByte((int) ('0' + cents / 10));
        out.writeByte((int) ('0' + cents % 10));
    }

    static int digits(long nonNegative) {
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            if (nonNegative < POWERS_OF_TEN[i]) {
                return i;
            }
        }
        return 19;
    }
}
