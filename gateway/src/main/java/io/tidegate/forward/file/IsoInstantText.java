package io.tidegate.forward.file;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes {@code Instant.ofEpochMilli(ms).toString()} as a JSON string from a reusable buffer: the
 * text of the second is made once per second and the milliseconds are appended. The file sink
 * writes one per line, and {@code Instant.toString} allocated about a tenth of all the gateway did.
 */
final class IsoInstantText {

    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    /** Four-digit years; Instant.toString writes others with a sign or more digits. */
    private static final long MIN_SECOND = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    private static final int SECOND_LENGTH = 19;

    private final char[] text = new char[SECOND_LENGTH + 5];
    private long second = Long.MIN_VALUE;

    void writeString(JsonGenerator out, long epochMillis) throws IOException {
        long s = Math.floorDiv(epochMillis, 1000);
        if (s < MIN_SECOND || s > MAX_SECOND) {
            out.writeString(Instant.ofEpochMilli(epochMillis).toString());
            return;
        }
        out.writeString(text, 0, format(s, (int) Math.floorMod(epochMillis, 1000)));
    }

    private int format(long s, int millis) {
        if (s != second) {
            SECOND.format(Instant.ofEpochSecond(s)).getChars(0, SECOND_LENGTH, text, 0);
            second = s;
        }
        if (millis == 0) { // ISO_INSTANT leaves a zero fraction out
            text[SECOND_LENGTH] = 'Z';
            return SECOND_LENGTH + 1;
        }
        text[SECOND_LENGTH] = '.';
        text[SECOND_LENGTH + 1] = (char) ('0' + millis / 100);
        text[SECOND_LENGTH + 2] = (char) ('0' + millis / 10 % 10);
        text[SECOND_LENGTH + 3] = (char) ('0' + millis % 10);
        text[SECOND_LENGTH + 4] = 'Z';
        return SECOND_LENGTH + 5;
    }
}
