package io.tidegate.rules.json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** Reads JSON number tokens from bytes without building strings on the common paths. */
public final class JsonNumbers {

    /** Powers of ten that doubles hold exactly. */
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    /** Decimals with at most this many significant digits map to distinct, order-preserving doubles. */
    private static final int EXACT_ORDER_DIGITS = 15;

    private JsonNumbers() {
    }

    /**
     * The value of a valid number token as a double, when the token has at most 15 significant
     * digits and a small exponent; otherwise {@code NaN}. Within those limits the result is the
     * correctly rounded double (one multiplication or division of exact operands), and two such
     * doubles compare exactly as the decimals they came from, so comparisons need no BigDecimal.
     */
    public static double fastDouble(byte[] buf, int from, int to) {
        int i = from;
        boolean negative = buf[i] == '-';
        if (negative) {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean fraction = false;
        for (; i < to; i++) {
            byte b = buf[i];
            if (b >= '0' && b <= '9') {
                if (mantissa != 0 || b != '0') {
                    if (++digits > EXACT_ORDER_DIGITS) {
                        return Double.NaN;
                    }
                    mantissa = mantissa * 10 + (b - '0');
                }
                if (fraction) {
                    scale--;
                }
            } else if (b == '.') {
                fraction = true;
            } else {
                break; // exponent
            }
        }
        if (i < to) {
            int exponent = 0;
            boolean negativeExponent = false;
            i++;
            if (buf[i] == '-' || buf[i] == '+') {
                negativeExponent = buf[i] == '-';
                i++;
            }
            for (; i < to; i++) {
                exponent = exponent * 10 + (buf[i] - '0');
                if (exponent > 400) {
                    return Double.NaN;
                }
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        double value = mantissa;
        if (mantissa != 0) {
            if (scale > 0 && scale < POWERS_OF_TEN.length) {
                value *= POWERS_OF_TEN[scale];
            } else if (scale < 0 && -scale < POWERS_OF_TEN.length) {
                value /= POWERS_OF_TEN[-scale];
            } else if (scale != 0) {
                return Double.NaN;
            }
        }
        return negative ? -value : value;
    }

    /** Whether an integer token (no fraction, no exponent) certainly fits a long: at most 18 digits. */
    public static boolean fitsLong(byte[] buf, int from, int to) {
        return to - from - (buf[from] == '-' ? 1 : 0) <= 18;
    }

    /** The value of an integer token that {@link #fitsLong fits a long}. */
    public static long parseLong(byte[] buf, int from, int to) {
        int i = from;
        boolean negative = buf[i] == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        for (; i < to; i++) {
            value = value * 10 + (buf[i] - '0');
        }
        return negative ? -value : value;
    }

    /** Any valid number token, exactly. */
    public static BigDecimal bigDecimal(byte[] buf, int from, int to) {
        return new BigDecimal(new String(buf, from, to - from, StandardCharsets.ISO_8859_1));
    }
}
