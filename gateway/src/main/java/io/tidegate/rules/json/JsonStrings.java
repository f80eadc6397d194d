package io.tidegate.rules.json;

import java.nio.charset.StandardCharsets;

/** JSON string escapes over raw bytes, for {@link JsonDocument}. */
final class JsonStrings {

    private JsonStrings() {
    }

    /**
     * Validates the escape starting at {@code pos} (a backslash).
     *
     * @return the index after it, or -1 when it is not a valid JSON escape; a {@code \\uD8xx} high
     *         surrogate must be followed by a low-surrogate escape, since UTF-8 cannot encode it alone
     */
    static int checkEscape(byte[] buf, int pos, int limit) {
        if (pos + 1 >= limit) {
            return -1;
        }
        switch (buf[pos + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
                return pos + 2;
            case 'u':
                int unit = hex4(buf, pos + 2, limit);
                if (unit < 0 || Character.isLowSurrogate((char) unit)) {
                    return -1;
                }
                if (!Character.isHighSurrogate((char) unit)) {
                    return pos + 6;
                }
                if (pos + 7 >= limit || buf[pos + 6] != '\\' || buf[pos + 7] != 'u') {
                    return -1;
                }
                int low = hex4(buf, pos + 8, limit);
                return low >= 0 && Character.isLowSurrogate((char) low) ? pos + 12 : -1;
            default:
                return -1;
        }
    }

    /** Decodes validated string content (between the quotes) that holds escapes. */
    static String unescape(byte[] buf, int from, int to) {
        StringBuilder text = new StringBuilder(to - from);
        int run = from;
        int i = from;
        while (i < to) {
            if (buf[i] != '\\') {
                i++;
                continue;
            }
            if (i > run) {
                text.append(new String(buf, run, i - run, StandardCharsets.UTF_8));
            }
            byte kind = buf[i + 1];
            switch (kind) {
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    text.append((char) hex4(buf, i + 2, to));
                    i += 4;
                }
                default -> text.append((char) kind); // " \ /
            }
            i += 2;
            run = i;
        }
        if (run < to) {
            text.append(new String(buf, run, to - run, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    private static int hex4(byte[] buf, int pos, int limit) {
        if (pos + 4 > limit) {
            return -1;
        }
        int value = 0;
        for (int i = pos; i < pos + 4; i++) {
            int digit = Character.digit(buf[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }
}
