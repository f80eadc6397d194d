package io.tidegate.loadgen.payload;

import io.netty.buffer.ByteBuf;
import io.tidegate.loadgen.scenario.ScenarioException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A payload compiled once and rendered per publish straight into a buffer. Placeholders:
 * <ul>
 *   <li>{@code {device}} the device id; {@code {seq}} the device's sequence number, from 1;</li>
 *   <li>{@code {sentAtMs}} / {@code {sentAtUs}} the intended send time in epoch milli-/microseconds
 *       (subscribers read {@code "sentAtUs":} to measure delivery latency);</li>
 *   <li>{@code {walk:START:STEP}} a per-device random walk starting at START, moving at most STEP
 *       per message, written with two decimals.</li>
 * </ul>
 * With a target size, a JSON object template gets a {@code "pad"} field so every payload has exactly
 * that many bytes (or, when the rendered fields are already longer, none).
 */
public final class PayloadTemplate {

    public static final String DEFAULT = "{\"device\":\"{device}\",\"seq\":{seq},\"sentAtUs\":{sentAtUs},"
            + "\"temperature\":{walk:21.0:0.1},\"humidity\":{walk:45.0:0.5}}";
    /** The default when only a size is given: the fields verify and delivery latency need, then padding. */
    public static final String MINIMAL = "{\"device\":\"{device}\",\"seq\":{seq},\"sentAtUs\":{sentAtUs}}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)(?::([^{}\"]*))?}");
    private static final Set<String> NAMES = Set.of("device", "seq", "sentAtMs", "sentAtUs", "walk");
    private static final byte[] PAD_OPEN = ",\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAD_FILL = "x".repeat(1024).getBytes(StandardCharsets.US_ASCII);

    private sealed interface Part permits Literal, Field, Walk {
    }

    private record Literal(byte[] bytes) implements Part {
    }

    private enum FieldKind { DEVICE, SEQ, SENT_AT_MS, SENT_AT_US }

    private record Field(FieldKind kind) implements Part {
    }

    private record Walk(int index, long startHundredths, int stepHundredths) implements Part {
    }

    private final String text;
    private final Part[] parts;
    private final int walks;
    private final int targetSize;
    private final byte closing;
    private final int literalBytes;

    private PayloadTemplate(String text, Part[] parts, int walks, int targetSize, byte closing) {
        this.text = text;
        this.parts = parts;
        this.walks = walks;
        this.targetSize = targetSize;
        this.closing = closing;
        int n = 0;
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                n += literal.bytes.length;
            }
        }
        this.literalBytes = n;
    }

    /**
     * @param targetSize bytes per payload, 0 for unpadded
     * @throws ScenarioException for an unknown placeholder, bad walk arguments, or padding a non-object
     */
    public static PayloadTemplate parse(String key, String text, int targetSize) {
        String body = text;
        byte closing = 0;
        if (targetSize > 0) {
            String trimmed = text.strip();
            if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) {
                throw new ScenarioException(key + ": payloadSize pads a JSON object, but the template is not one");
            }
            body = trimmed.substring(0, trimmed.length() - 1);
            closing = '}';
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(body);
        int walks = 0;
        int at = 0;
        while (m.find(at)) {
            String name = m.group(1);
            if (!NAMES.contains(name)) {
                // {"a":1} never matches (quotes are excluded), so a bare {word} is a misspelt placeholder.
                throw new ScenarioException(key + ": unknown placeholder {" + name + "}; known: " + NAMES);
            }
            literal.append(body, at, m.start());
            flush(literal, parts);
            parts.add(switch (name) {
                case "device" -> new Field(FieldKind.DEVICE);
                case "seq" -> new Field(FieldKind.SEQ);
                case "sentAtMs" -> new Field(FieldKind.SENT_AT_MS);
                case "sentAtUs" -> new Field(FieldKind.SENT_AT_US);
                default -> walk(key, walks++, m.group(2));
            });
            at = m.end();
        }
        literal.append(body.substring(at));
        flush(literal, parts);
        return new PayloadTemplate(text, parts.toArray(Part[]::new), walks, targetSize, closing);
    }

    private static Walk walk(String key, int index, String args) {
        double start = 20;
        double step = 0.5;
        if (args != null && !args.isEmpty()) {
            String[] a = args.split(":");
            try {
                start = Double.parseDouble(a[0]);
                if (a.length > 1) {
                    step = Double.parseDouble(a[1]);
                }
            } catch (NumberFormatException e) {
                throw new ScenarioException(key + ": {walk:" + args + "} needs numbers, e.g. {walk:21.0:0.1}");
            }
        }
        return new Walk(index, Math.round(start * 100), (int) Math.round(Math.abs(step) * 100));
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString().getBytes(StandardCharsets.UTF_8)));
            literal.setLength(0);
        }
    }

    /** Per-device state this template needs (random-walk positions), or null when it needs none. */
    public long[] newDeviceState() {
        if (walks == 0) {
            return null;
        }
        long[] state = new long[walks];
        int i = 0;
        for (Part part : parts) {
            if (part instanceof Walk w) {
                state[i++] = w.startHundredths;
            }
        }
        return state;
    }

    /** A first guess at the rendered size, for allocating the buffer. */
    public int sizeHint(int deviceIdLength) {
        return Math.max(targetSize, literalBytes + deviceIdLength + 24 * parts.length);
    }

    /** Renders one payload at the buffer's writer index, advancing walk positions in {@code state}. */
    public void render(ByteBuf out, byte[] deviceId, long seq, long sentAtEpochMicros, long[] state) {
        int start = out.writerIndex();
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                out.writeBytes(literal.bytes);
            } else if (part instanceof Field field) {
                switch (field.kind) {
                    case DEVICE -> out.writeBytes(deviceId);
                    case SEQ -> AsciiNumbers.writeLong(out, seq);
                    case SENT_AT_MS -> AsciiNumbers.writeLong(out, sentAtEpochMicros / 1000);
                    case SENT_AT_US -> AsciiNumbers.writeLong(out, sentAtEpochMicros);
                }
            } else {
                Walk walk = (Walk) part;
                long value = state[walk.index];
                if (walk.stepHundredths > 0) {
                    value += ThreadLocalRandom.current().nextInt(-walk.stepHundredths, walk.stepHundredths + 1);
                    state[walk.index] = value;
                }
                AsciiNumbers.writeHundredths(out, value);
            }
        }
        if (targetSize > 0) {
            pad(out, targetSize - (out.writerIndex() - start) - 1);
            out.writeByte(closing);
        }
    }

    private static void pad(ByteBuf out, int room) {
        if (room >= PAD_OPEN.length + 1) {
            out.writeBytes(PAD_OPEN);
            for (int left = room - PAD_OPEN.length - 1; left > 0; left -= PAD_FILL.length) {
                out.writeBytes(PAD_FILL, 0, Math.min(left, PAD_FILL.length));
            }
            out.writeByte('"');
        } else {
            // Too little room for a field: JSON allows whitespace before the closing brace.
            for (int i = 0; i < room; i++) {
                out.writeByte(' ');
            }
        }
    }

    public int targetSize() {
        return targetSize;
    }

    public String text() {
        return text;
    }

    public String describe() {
        return (targetSize > 0 ? targetSize + " bytes, " : "") + "template " + text;
    }
}
