package io.tidegate.forward.file;

import io.tidegate.text.Utf8;

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
            i = Utf8.sequenceEnd(bytes, i, length);
            if (i < 0) {
                return false;
            }
        }
        return true;
    }
}
