package io.tidegate.rules.sql;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Int and Decimal arithmetic as AWS IoT SQL defines it. An Int is a {@link Long}, or a whole
 * {@link BigDecimal} (scale ≤ 0) beyond the long range (Ints have up to 34 digits); a Decimal is a
 * {@link BigDecimal} with 34 digits of precision. SQL 2016-03-23 treats whole numbers such as
 * {@code 10.0} as Int, so every result goes through {@link #normalize}.
 */
final class Numbers {

    /** 34 significant digits, as AWS documents for Decimal. */
    static final MathContext DECIMAL = MathContext.DECIMAL128;

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final double TWO_POW_53 = 9007199254740992.0;
    /** Whole numbers with more trailing zeros than this print in scientific notation, not as a wall of zeros. */
    private static final int MAX_PLAIN_ZEROS = 1000;

    private Numbers() {
    }

    /** Whole values become Int (a Long when it fits); others keep their digits, trailing zeros stripped. */
    static Number normalize(BigDecimal value) {
        if (value.signum() == 0) {
            return 0L;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > 0) {
            return stripped;
        }
        if (stripped.compareTo(LONG_MIN) >= 0 && stripped.compareTo(LONG_MAX) <= 0) {
            return stripped.longValueExact();
        }
        return stripped; // an Int beyond long; never expanded with setScale(0), which 1E+999999 would make huge
    }

    static boolean isInt(Number number) {
        return number instanceof Long || ((BigDecimal) number).scale() <= 0;
    }

    static BigDecimal decimal(Number number) {
        return number instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) number;
    }

    /** A double result of a double-precision function, or {@code null} for NaN and infinities. */
    static Number fromDouble(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        return normalize(BigDecimal.valueOf(value));
    }

    /** The number as an exact double when it is one: a long within ±2^53; otherwise NaN. */
    static double exactDouble(Number number) {
        if (number instanceof Long l && Math.abs((double) l) <= TWO_POW_53) {
            return l;
        }
        return Double.NaN;
    }

    /**
     * Parses a string the way AWS converts strings to Decimal: only text matching
     * {@code ^-?\d+(\.\d+)?((?i)E-?\d+)?$} is a number.
     *
     * @return the number, or {@code null}
     */
    static Number parse(String text) {
        int length = text.length();
        int i = 0;
        if (i < length && text.charAt(i) == '-') {
            i++;
        }
        int digits = countDigits(text, i);
        if (digits == 0) {
            return null;
        }
        i += digits;
        if (i < length && text.charAt(i) == '.') {
            int fraction = countDigits(text, i + 1);
            if (fraction == 0) {
                return null;
            }
            i += 1 + fraction;
        }
        if (i < length && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < length && text.charAt(i) == '-') {
                i++;
            }
            int exponent = countDigits(text, i);
            if (exponent == 0) {
                return null;
            }
            i += exponent;
        }
        if (i != length) {
            return null;
        }
        try {
            return normalize(new BigDecimal(text));
        } catch (NumberFormatException | ArithmeticException e) {
            return null; // exponent beyond what BigDecimal represents
        }
    }

    private static int countDigits(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }

    static int compare(Number a, Number b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        return decimal(a).compareTo(decimal(b));
    }

    static Number add(Number a, Number b) {
        if (a instanceof Long x && b instanceof Long y) {
            long sum = x + y;
            if (((x ^ sum) & (y ^ sum)) >= 0) {
                return sum;
            }
        }
        return normalize(decimal(a).add(decimal(b), DECIMAL));
    }

    static Number subtract(Number a, Number b) {
        if (a instanceof Long x && b instanceof Long y) {
            long difference = x - y;
            if (((x ^ y) & (x ^ difference)) >= 0) {
                return difference;
            }
        }
        return normalize(decimal(a).subtract(decimal(b), DECIMAL));
    }

    static Number multiply(Number a, Number b) {
        if (a instanceof Long x && b instanceof Long y) {
            long high = Math.multiplyHigh(x, y);
            long product = x * y;
            if ((high == 0 && product >= 0) || (high == -1 && product < 0)) {
                return product;
            }
        }
        return normalize(decimal(a).multiply(decimal(b), DECIMAL));
    }

    /**
     * Int / Int is an Int (truncated toward zero); with a Decimal operand the quotient is a
     * Decimal. Null on division by zero.
     */
    static Number divide(Number a, Number b) {
        if (signum(b) == 0) {
            return null;
        }
        if (isInt(a) && isInt(b)) {
            if (a instanceof Long x && b instanceof Long y && !(x == Long.MIN_VALUE && y == -1)) {
                return x / y;
            }
            return normalize(decimal(a).divideToIntegralValue(decimal(b), DECIMAL));
        }
        return normalize(decimal(a).divide(decimal(b), DECIMAL));
    }

    /** The remainder with the dividend's sign; null on division by zero. */
    static Number remainder(Number a, Number b) {
        if (signum(b) == 0) {
            return null;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return y == -1 ? 0L : x % y;
        }
        return normalize(decimal(a).remainder(decimal(b), DECIMAL));
    }

    static Number negate(Number a) {
        if (a instanceof Long x && x != Long.MIN_VALUE) {
            return -x;
        }
        return normalize(decimal(a).negate());
    }

    static Number abs(Number a) {
        return signum(a) < 0 ? negate(a) : a;
    }

    static int signum(Number a) {
        return a instanceof Long x ? Long.signum(x) : ((BigDecimal) a).signum();
    }

    static Number round(Number a, RoundingMode mode) {
        if (isInt(a)) {
            return a;
        }
        return normalize(((BigDecimal) a).setScale(0, mode));
    }

    /** An Int as a Java int, clamped to the int range (indexes, counts). */
    static int clampToInt(Number a) {
        Number whole = round(a, RoundingMode.FLOOR);
        if (whole instanceof Long l) {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l));
        }
        return ((BigDecimal) whole).signum() < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    }

    static double toDouble(Number a) {
        return a instanceof Long l ? l : ((BigDecimal) a).doubleValue();
    }

    /** The text of a number: plain for an Int, possibly scientific for a Decimal, as AWS documents. */
    static String toText(Number a) {
        if (a instanceof Long l) {
            return Long.toString(l);
        }
        BigDecimal d = (BigDecimal) a;
        return d.scale() <= 0 && d.scale() >= -MAX_PLAIN_ZEROS ? d.toPlainString() : d.toString();
    }
}
