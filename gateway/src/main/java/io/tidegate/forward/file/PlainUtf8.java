package io.tidegate.forward.file;

/**
 * Whether bytes are text that can go into a UTF-8 line as they are: well-formed UTF-8 (no overlong
 * forms, no surrogates, nothing above U+10FFFF), no byte order mark and no NUL. Checked on the
 * bytes, without decoding them, because the file sink asks it of every payload.
 *
 * <p>The NUL rule also keeps Jackson's encoding detection on UTF-8: it reads UTF-16 or UTF-32 only
 * from NULs (or a byte order mark) in the first four bytes, and JSON text never holds a raw NUL.
 */
final class PlainUtf8 {

    private PlainUtf8() {
    }

    static boolean check(byte[] bytes) {
        int length = bytes.length;
        if (length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
            return false;
        }
        int i = 0;
        while (i < length) {
            int b = bytes[i];
            if (b > 0) { // ASCII other than NUL
                i++;
                continue;
            }
            if (b == 0) {
                return false;
            }
            i = sequenceEnd(bytes, i, length);
            if (i < 0) {
                return false;
            }
        }
        return true;
    }

    /** The index after the multi-byte sequence at {@code pos}, or -1 when it is not well-formed (RFC 3629). */
    private static int sequenceEnd(byte[] bytes, int pos, int length) {
        int lead = bytes[pos] & 0xFF;
        int continuations;
        int min = 0x80;
        int max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            continuations = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            continuations = 2;
            min = lead == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
            max = lead == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            continuations = 3;
            min = lead == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            max = lead == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
        } else {
            return -1;
        }
        if (pos + continuations >= length) {
            return -1;
        }
        int second = bytes[pos + 1] & 0xFF;
        if (second < min || second > max) {
            return -1;
        }
        for (int k = 2; k <= continuations; k++) {
            if ((bytes[pos + k] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return pos + continuations + 1;
    }
}
