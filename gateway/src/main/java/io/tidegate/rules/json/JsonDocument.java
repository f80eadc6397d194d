package io.tidegate.rules.json;

import io.tidegate.text.Utf8;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON document indexed in place: one validating pass over the bytes records every value as a
 * node (type, byte range, subtree end) in flat arrays, and nothing is decoded until asked for.
 * Member lookups compare raw key bytes; strings and numbers are decoded only by the caller that
 * needs them. The arrays are kept between {@link #parse} calls, so a document reused per thread
 * parses without allocating.
 *
 * <p>Node layout: a container is followed by its children in order; an object's children are a
 * {@link #KEY} node followed by the member's value subtree. {@link #next(int)} is the index after
 * a node's subtree, so siblings are visited by jumping, never by scanning.
 *
 * <p>Strict RFC 8259: anything else (trailing commas, comments, NaN, bad UTF-8, unpaired
 * surrogate escapes, nesting deeper than {@value #MAX_DEPTH}) makes {@link #parse} return false.
 */
public final class JsonDocument {

    public static final byte OBJECT = 1;
    public static final byte ARRAY = 2;
    public static final byte STRING = 3;
    public static final byte NUMBER = 4;
    public static final byte TRUE = 5;
    public static final byte FALSE = 6;
    public static final byte NULL = 7;
    /** A member name; its value is the next node. */
    public static final byte KEY = 8;

    /** Deeper documents are refused rather than risking the parser's stack. */
    public static final int MAX_DEPTH = 512;

    private static final int TYPE_MASK = 0x0F;
    /** STRING/KEY: contains a backslash escape, so raw bytes are not the text. */
    private static final byte FLAG_ESCAPED = 0x10;
    /** NUMBER: has a fraction or an exponent. */
    private static final byte FLAG_DECIMAL = 0x20;
    private static final int RETAINED_NODES = 4096;
    /** A KEY's signature when it holds escapes: its raw bytes say nothing, so it is always compared in full. */
    private static final int ESCAPED_SIGNATURE = -1;
    private static final byte[] TRUE_TEXT = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE_TEXT = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL_TEXT = {'n', 'u', 'l', 'l'};

    /** Byte classes inside a string: 0 is an ordinary byte, anything else needs a look. */
    private static final byte[] STRING_BYTE = new byte[256];

    static {
        for (int b = 0; b < 0x20; b++) {
            STRING_BYTE[b] = 1; // control characters must be escaped
        }
        STRING_BYTE['"'] = 1;
        STRING_BYTE['\\'] = 1;
        for (int b = 0x80; b < 0x100; b++) {
            STRING_BYTE[b] = 1; // multi-byte UTF-8 is validated
        }
    }

    private byte[] buf;
    private int limit;
    private int size;
    /** Node type in the low four bits, FLAG_* above. */
    private byte[] types = new byte[64];
    /** Byte offset where the node's token starts (a string's opening quote, a container's bracket). */
    private int[] starts = new int[64];
    /** Byte offset just past the node's token (a string's closing quote, a container's closing bracket). */
    private int[] ends = new int[64];
    /** Node index just past this node's subtree. */
    private int[] nexts = new int[64];
    /** Containers: members or elements. KEY: a signature of the raw name (see {@link #signature}), for quick lookups. */
    private int[] aux = new int[64];
    /** OBJECT: where its members start in {@link #memberKeys}. */
    private int[] memberStarts = new int[64];
    /**
     * Every object's KEY nodes, each object's together, and their signatures: a lookup scans these
     * flat arrays instead of hopping from member to member through the node links.
     */
    private int[] memberKeys = new int[32];
    private int[] memberSignatures = new int[32];
    private int memberCount;
    /** KEY nodes of the objects still being parsed, innermost last. */
    private int[] pendingKeys = new int[32];
    private int pendingCount;
    /** Nodes the last parse created, valid or not; decides whether the arrays are worth keeping. */
    private int nodesUsed;

    /**
     * Indexes {@code length} bytes of {@code bytes} from {@code offset}. The bytes are referenced,
     * not copied: they must stay unchanged while this document is used.
     *
     * @return whether the bytes are exactly one JSON value (surrounded by optional whitespace)
     */
    public boolean parse(byte[] bytes, int offset, int length) {
        if (types.length > RETAINED_NODES && nodesUsed <= RETAINED_NODES) {
            shrink(); // a huge document came and went: do not keep its index for the thread's life
        }
        this.buf = bytes;
        this.limit = offset + length;
        this.size = 0;
        this.memberCount = 0;
        this.pendingCount = 0;
        boolean valid;
        try {
            valid = skipWhitespace(value(skipWhitespace(skipByteOrderMark(offset)), 0)) == limit;
        } catch (Invalid e) {
            valid = false;
        }
        nodesUsed = size;
        if (!valid) {
            size = 0;
        }
        return valid;
    }

    /** Whether the last {@link #parse} succeeded. */
    public boolean isValid() {
        return size > 0;
    }

    /** The root node (0) of a valid document. */
    public int root() {
        return 0;
    }

    public byte[] buffer() {
        return buf;
    }

    public byte type(int node) {
        return (byte) (types[node] & TYPE_MASK);
    }

    public int start(int node) {
        return starts[node];
    }

    public int end(int node) {
        return ends[node];
    }

    /** The node index just past {@code node}'s subtree. */
    public int next(int node) {
        return nexts[node];
    }

    /** Members of an object or elements of an array. */
    public int count(int container) {
        return aux[container];
    }

    /** Whether a NUMBER has a fraction or exponent part. */
    public boolean isDecimalToken(int node) {
        return (types[node] & FLAG_DECIMAL) != 0;
    }

    /** Whether a STRING or KEY holds escapes, so its raw bytes differ from its text. */
    public boolean isEscaped(int node) {
        return (types[node] & FLAG_ESCAPED) != 0;
    }

    /**
     * The value node of the last member named {@code name} in an object, or -1 (also when
     * {@code object} is not an object). Duplicate names resolve to the last one, as most JSON
     * libraries do.
     *
     * @param utf8 {@code name} encoded as UTF-8, so unescaped keys compare without decoding
     */
    public int member(int object, byte[] utf8, String name) {
        if ((types[object] & TYPE_MASK) != OBJECT) {
            return -1;
        }
        int found = -1;
        int wanted = signature(utf8, 0, utf8.length);
        int from = memberStarts[object];
        int to = from + aux[object];
        for (int i = from; i < to; i++) {
            int candidate = memberSignatures[i];
            if ((candidate == wanted || candidate == ESCAPED_SIGNATURE) && keyEquals(memberKeys[i], utf8, name)) {
                found = memberKeys[i] + 1;
            }
        }
        return found;
    }

    /** Cheap to compute from either side and different for most distinct names: length and end bytes. */
    private static int signature(byte[] bytes, int from, int length) {
        if (length == 0) {
            return 0;
        }
        return length << 16 ^ (bytes[from] & 0xFF) << 8 ^ bytes[from + length - 1] & 0xFF;
    }

    /** The element node at {@code index} of an array, or -1 when out of range. */
    public int element(int array, int index) {
        if (index < 0 || index >= aux[array]) {
            return -1;
        }
        int node = array + 1;
        for (int i = 0; i < index; i++) {
            node = nexts[node];
        }
        return node;
    }

    /** The first member's KEY node of an object (its value is {@code key + 1}), or -1 when empty. */
    public int firstKey(int object) {
        return aux[object] == 0 ? -1 : object + 1;
    }

    /** The KEY node after {@code key} in its object, or -1. */
    public int nextKey(int object, int key) {
        int next = nexts[key + 1];
        return next < nexts[object] ? next : -1;
    }

    /** The first element of an array, or -1 when empty. */
    public int firstElement(int array) {
        return aux[array] == 0 ? -1 : array + 1;
    }

    /** The element after {@code element} in its array, or -1. */
    public int nextElement(int array, int element) {
        int next = nexts[element];
        return next < nexts[array] ? next : -1;
    }

    /** Whether a STRING or KEY node's text equals {@code text} (given also as UTF-8). */
    public boolean textEquals(int node, byte[] utf8, String text) {
        return keyEquals(node, utf8, text);
    }

    /** The decoded text of a STRING or KEY node. */
    public String text(int node) {
        int from = starts[node] + 1;
        int to = ends[node] - 1;
        if (!isEscaped(node)) {
            return new String(buf, from, to - from, StandardCharsets.UTF_8);
        }
        return JsonStrings.unescape(buf, from, to);
    }

    private boolean keyEquals(int key, byte[] utf8, String name) {
        int from = starts[key] + 1;
        int length = ends[key] - 1 - from;
        if (isEscaped(key)) {
            return text(key).equals(name);
        }
        return length == utf8.length && Arrays.equals(buf, from, from + length, utf8, 0, length);
    }

    // ---- parsing -------------------------------------------------------------------------------

    /** Thrown inside the parser only; cheap because it has no stack trace. */
    private static final class Invalid extends RuntimeException {
        static final Invalid INSTANCE = new Invalid();

        private Invalid() {
            super(null, null, false, false);
        }
    }

    private int value(int pos, int depth) {
        if (pos >= limit) {
            throw Invalid.INSTANCE;
        }
        byte b = buf[pos];
        switch (b) {
            case '{':
                return object(pos, depth + 1);
            case '[':
                return array(pos, depth + 1);
            case '"':
                return string(pos, STRING);
            case 't':
                return literal(pos, TRUE, TRUE_TEXT);
            case 'f':
                return literal(pos, FALSE, FALSE_TEXT);
            case 'n':
                return literal(pos, NULL, NULL_TEXT);
            default:
                if (b == '-' || (b >= '0' && b <= '9')) {
                    return number(pos);
                }
                throw Invalid.INSTANCE;
        }
    }

    private int object(int pos, int depth) {
        if (depth > MAX_DEPTH) {
            throw Invalid.INSTANCE;
        }
        int node = add(OBJECT, pos);
        int firstPending = pendingCount;
        pos = skipWhitespace(pos + 1);
        if (pos < limit && buf[pos] == '}') {
            return closeObject(node, pos + 1, firstPending);
        }
        while (true) {
            if (pos >= limit || buf[pos] != '"') {
                throw Invalid.INSTANCE;
            }
            pushPendingKey(size);
            pos = skipWhitespace(string(pos, KEY));
            if (pos >= limit || buf[pos] != ':') {
                throw Invalid.INSTANCE;
            }
            pos = skipWhitespace(value(skipWhitespace(pos + 1), depth));
            if (pos >= limit) {
                throw Invalid.INSTANCE;
            }
            byte b = buf[pos];
            if (b == '}') {
                return closeObject(node, pos + 1, firstPending);
            }
            if (b != ',') {
                throw Invalid.INSTANCE;
            }
            pos = skipWhitespace(pos + 1);
        }
    }

    private void pushPendingKey(int key) {
        if (pendingCount == pendingKeys.length) {
            pendingKeys = Arrays.copyOf(pendingKeys, pendingCount * 2);
        }
        pendingKeys[pendingCount++] = key;
    }

    /** Moves the object's keys from the pending stack into the flat member index. */
    private int closeObject(int node, int end, int firstPending) {
        int count = pendingCount - firstPending;
        if (memberCount + count > memberKeys.length) {
            int capacity = Math.max(memberKeys.length * 2, memberCount + count);
            memberKeys = Arrays.copyOf(memberKeys, capacity);
            memberSignatures = Arrays.copyOf(memberSignatures, capacity);
        }
        memberStarts[node] = memberCount;
        for (int i = 0; i < count; i++) {
            int key = pendingKeys[firstPending + i];
            memberKeys[memberCount + i] = key;
            memberSignatures[memberCount + i] = aux[key];
        }
        memberCount += count;
        pendingCount = firstPending;
        return close(node, end, count);
    }

    private int array(int pos, int depth) {
        if (depth > MAX_DEPTH) {
            throw Invalid.INSTANCE;
        }
        int node = add(ARRAY, pos);
        int count = 0;
        pos = skipWhitespace(pos + 1);
        if (pos < limit && buf[pos] == ']') {
            return close(node, pos + 1, count);
        }
        while (true) {
            pos = skipWhitespace(value(pos, depth));
            count++;
            if (pos >= limit) {
                throw Invalid.INSTANCE;
            }
            byte b = buf[pos];
            if (b == ']') {
                return close(node, pos + 1, count);
            }
            if (b != ',') {
                throw Invalid.INSTANCE;
            }
            pos = skipWhitespace(pos + 1);
        }
    }

    private int close(int node, int end, int count) {
        ends[node] = end;
        nexts[node] = size;
        aux[node] = count;
        return end;
    }

    /** A string token from its opening quote; validates escapes and UTF-8. */
    private int string(int pos, byte type) {
        int node = add(type, pos);
        byte[] b = buf;
        int i = pos + 1;
        byte flag = 0;
        while (true) {
            while (i < limit && STRING_BYTE[b[i] & 0xFF] == 0) {
                i++; // the common case: printable ASCII
            }
            if (i >= limit) {
                throw Invalid.INSTANCE;
            }
            int c = b[i];
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                flag = FLAG_ESCAPED;
                i = JsonStrings.checkEscape(b, i, limit);
            } else if (c < 0) {
                i = Utf8.sequenceEnd(b, i, limit);
            } else {
                throw Invalid.INSTANCE; // unescaped control character
            }
            if (i < 0) {
                throw Invalid.INSTANCE;
            }
        }
        types[node] = (byte) (type | flag);
        ends[node] = i + 1;
        nexts[node] = size;
        if (type == KEY) {
            aux[node] = flag == 0 ? signature(b, pos + 1, i - pos - 1) : ESCAPED_SIGNATURE;
        }
        return i + 1;
    }

    private int number(int pos) {
        int node = add(NUMBER, pos);
        int i = pos;
        if (buf[i] == '-') {
            i++;
        }
        if (i >= limit) {
            throw Invalid.INSTANCE;
        }
        if (buf[i] == '0') {
            i++;
        } else {
            i = digits(i);
        }
        byte flag = 0;
        if (i < limit && buf[i] == '.') {
            flag = FLAG_DECIMAL;
            i = digits(i + 1);
        }
        if (i < limit && (buf[i] == 'e' || buf[i] == 'E')) {
            flag = FLAG_DECIMAL;
            i++;
            if (i < limit && (buf[i] == '+' || buf[i] == '-')) {
                i++;
            }
            i = digits(i);
        }
        types[node] = (byte) (NUMBER | flag);
        ends[node] = i;
        nexts[node] = size;
        return i;
    }

    /** One or more digits from {@code pos}. */
    private int digits(int pos) {
        int i = pos;
        while (i < limit && buf[i] >= '0' && buf[i] <= '9') {
            i++;
        }
        if (i == pos) {
            throw Invalid.INSTANCE;
        }
        return i;
    }

    private int literal(int pos, byte type, byte[] expected) {
        if (pos + expected.length > limit) {
            throw Invalid.INSTANCE;
        }
        for (int i = 0; i < expected.length; i++) {
            if (buf[pos + i] != expected[i]) {
                throw Invalid.INSTANCE;
            }
        }
        int node = add(type, pos);
        ends[node] = pos + expected.length;
        nexts[node] = size;
        return pos + expected.length;
    }

    private int add(byte type, int start) {
        if (size == types.length) {
            grow();
        }
        int node = size++;
        types[node] = type;
        starts[node] = start;
        return node;
    }

    private int skipWhitespace(int pos) {
        while (pos < limit) {
            byte b = buf[pos];
            if (b > ' ' || b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break; // b > ' ' first: compact JSON has no whitespace to skip
            }
            pos++;
        }
        return pos;
    }

    /** Devices sometimes prefix UTF-8 text with a byte order mark; RFC 8259 lets parsers ignore it. */
    private int skipByteOrderMark(int pos) {
        if (pos + 2 < limit && buf[pos] == (byte) 0xEF && buf[pos + 1] == (byte) 0xBB && buf[pos + 2] == (byte) 0xBF) {
            return pos + 3;
        }
        return pos;
    }

    private void grow() {
        int capacity = types.length * 2;
        types = Arrays.copyOf(types, capacity);
        starts = Arrays.copyOf(starts, capacity);
        ends = Arrays.copyOf(ends, capacity);
        nexts = Arrays.copyOf(nexts, capacity);
        aux = Arrays.copyOf(aux, capacity);
        memberStarts = Arrays.copyOf(memberStarts, capacity);
    }

    private void shrink() {
        types = new byte[64];
        starts = new int[64];
        ends = new int[64];
        nexts = new int[64];
        aux = new int[64];
        memberStarts = new int[64];
        memberKeys = new int[32];
        memberSignatures = new int[32];
        pendingKeys = new int[32];
    }
}
