package io.tidegate.text;

/**
 * UTF-8 checks on raw bytes, for the places that look at every message's payload without decoding
 * it (the rules' JSON reader, the file sink).
 */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * Validates one multi-byte UTF-8 sequence starting at {@code pos} (a byte of 0x80 or more): no
     * overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629).
     *
     * @return the index after it, or -1
     */
    public static int sequenceEnd(byte[] buf, int pos, int limit) {
        int lead = buf[pos] & 0xFF;
        int continuations;
        int min2 = 0x80;
        int max2 = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            continuations = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            continuations = 2;
            if (lead == 0xE0) {
                min2 = 0xA0;
            } else if (lead == 0xED) {
                max2 = 0x9F;
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            continuations = 3;
            if (lead == 0xF0) {
                min2 = 0x90;
            } else if (lead == 0xF4) {
                max2 = 0x8F;
            }
        } else {
            return -1;
        }
        if (pos + continuations >= limit) {
            return -1;
        }
        int second = buf[pos + 1] & 0xFF;
        if (second < min2 || second > max2) {
            return -1;
        }
        for (int i = 2; i <= continuations; i++) {
            if ((buf[pos + i] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return pos + continuations + 1;
    }
}
