package io.tidegate.mqtt.topic;

/**
 * Topic name and topic filter rules of MQTT 3.1.1 and 5.0 (section 4.7, shared subscriptions 4.8.2).
 *
 * <p>Validators return the problem found, or {@code null} when the input is valid, so the hot path
 * neither throws nor allocates. Matching walks both strings by index without splitting them.
 */
public final class Topics {

    /** Topic names and filters are length-prefixed with 16 bits [MQTT-4.7.3-3]. */
    public static final int MAX_UTF8_BYTES = 65_535;

    private Topics() {
    }

    /**
     * Checks a topic name as sent in PUBLISH (or as a will topic).
     *
     * @return what is wrong, or {@code null} when {@code topic} is a valid topic name
     */
    public static TopicProblem validateTopicName(String topic) {
        return scan(topic, false);
    }

    /**
     * Checks a topic filter as sent in SUBSCRIBE or UNSUBSCRIBE, including the MQTT 5 shared form
     * {@code $share/{shareName}/{filter}}; use {@link #isShared} to tell the two apart and
     * {@link SharedSubscription#parse} to take a shared one apart.
     *
     * @return what is wrong, or {@code null} when {@code filter} is a valid topic filter
     */
    public static TopicProblem validateTopicFilter(String filter) {
        if (isShared(filter)) {
            TopicProblem problem = sharedProblem(filter);
            if (problem != null) {
                return problem;
            }
        }
        // The ShareName holds no wildcard by now and ends a level, so the filter rules apply to the whole string.
        return scan(filter, true);
    }

    public static boolean isValidTopicName(String topic) {
        return validateTopicName(topic) == null;
    }

    public static boolean isValidTopicFilter(String filter) {
        return validateTopicFilter(filter) == null;
    }

    /**
     * Whether {@code filter} claims to be a shared subscription (its first level is {@code $share}),
     * valid or not. Such a filter must never be treated as a plain one.
     */
    public static boolean isShared(String filter) {
        int levelEnd = SharedSubscription.SHARE_LEVEL.length();
        return filter.startsWith(SharedSubscription.SHARE_LEVEL)
                && (filter.length() == levelEnd || filter.charAt(levelEnd) == '/');
    }

    /**
     * Whether a topic name matches a plain (non-shared) topic filter. Both must be valid; an empty
     * argument never matches. {@code #} also matches the parent level, {@code +} matches an empty
     * level, and a wildcard first level never matches a topic starting with {@code $} [MQTT-4.7.2-1].
     */
    public static boolean matches(String filter, String topic) {
        if (filter.isEmpty() || topic.isEmpty()) {
            return false;
        }
        // A topic name is a filter without wildcards, and a filter matches it exactly when it covers it.
        return covers(filter, topic);
    }

    /**
     * Whether every topic {@code requestedFilter} can match is also matched by {@code allowedFilter},
     * which authorizes a SUBSCRIBE. A wildcard in the requested filter is only inside when the
     * allowed filter has a wildcard covering it at that level. Both must be valid plain filters,
     * otherwise the answer is {@code false}; authorize a shared subscription by its
     * {@link SharedSubscription#filter()}.
     */
    public static boolean isInside(String requestedFilter, String allowedFilter) {
        return isValidPlainFilter(requestedFilter) && isValidPlainFilter(allowedFilter)
                && covers(allowedFilter, requestedFilter);
    }

    /**
     * Whether some topic name matches both filters: a SUBSCRIBE to {@code requestedFilter} could
     * receive a message on a topic {@code deniedFilter} covers. Both must be valid plain filters,
     * otherwise the answer is {@code true} (deny when in doubt).
     */
    public static boolean overlap(String requestedFilter, String deniedFilter) {
        if (!isValidPlainFilter(requestedFilter) || !isValidPlainFilter(deniedFilter)) {
            return true;
        }
        String[] a = levels(requestedFilter);
        String[] b = levels(deniedFilter);
        for (int level = 0; ; level++) {
            boolean aDone = level == a.length;
            boolean bDone = level == b.length;
            if (aDone || bDone) {
                // Both used up; or the other ends in "#", which also matches its parent level.
                return aDone && bDone || !aDone && a[level].equals("#") && level == a.length - 1
                        || !bDone && b[level].equals("#") && level == b.length - 1;
            }
            String x = a[level];
            String y = b[level];
            boolean xWild = x.equals("+") || x.equals("#");
            boolean yWild = y.equals("+") || y.equals("#");
            if (level == 0 && (xWild && y.startsWith("$") || yWild && x.startsWith("$"))) {
                return false; // a wildcard first level never reaches a '$' topic [MQTT-4.7.2-1]
            }
            if (x.equals("#") || y.equals("#")) {
                return true;
            }
            if (!xWild && !yWild && !x.equals(y)) {
                return false;
            }
        }
    }

    /** Splits a topic into its levels; an empty level (leading, trailing or doubled '/') is kept as "". */
    static String[] levels(String topic) {
        int count = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                count++;
            }
        }
        String[] levels = new String[count];
        int start = 0;
        int level = 0;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                levels[level++] = topic.substring(start, i);
                start = i + 1;
            }
        }
        levels[level] = topic.substring(start);
        return levels;
    }

    private static boolean isValidPlainFilter(String filter) {
        return !isShared(filter) && validateTopicFilter(filter) == null;
    }

    /**
     * Whether every topic {@code inner} matches is matched by {@code outer}; both valid, non-empty.
     * Walks level by level: {@code #} in outer covers everything left (the parent level included),
     * {@code +} in outer covers one level of anything but {@code #}, and a literal only itself.
     */
    private static boolean covers(String outer, String inner) {
        // Topics starting with '$' escape a wildcard first level [MQTT-4.7.2-1]; an inner filter
        // starting with '$' has a literal first level, so it can reach them.
        boolean innerReachesDollar = inner.charAt(0) == '$';
        int o = 0;
        int i = 0;
        while (true) {
            int oEnd = levelEnd(outer, o);
            int iEnd = levelEnd(inner, i);
            boolean firstLevel = o == 0;
            if (isLevel(outer, o, oEnd, '#')) {
                return !(firstLevel && innerReachesDollar);
            }
            if (isLevel(inner, i, iEnd, '#')) {
                return false;
            }
            if (isLevel(outer, o, oEnd, '+')) {
                if (firstLevel && innerReachesDollar) {
                    return false;
                }
            } else if (isLevel(inner, i, iEnd, '+') || !sameLevel(outer, o, oEnd, inner, i, iEnd)) {
                return false;
            }
            boolean outerLast = oEnd == outer.length();
            boolean innerLast = iEnd == inner.length();
            if (innerLast) {
                // "a/#" also matches "a": a trailing "/#" covers the level inner ends on.
                return outerLast || oEnd + 2 == outer.length() && outer.charAt(oEnd + 1) == '#';
            }
            if (outerLast) {
                return false;
            }
            o = oEnd + 1;
            i = iEnd + 1;
        }
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    private static boolean isLevel(String s, int from, int end, char wildcard) {
        return end - from == 1 && s.charAt(from) == wildcard;
    }

    private static boolean sameLevel(String a, int aFrom, int aEnd, String b, int bFrom, int bEnd) {
        int length = aEnd - aFrom;
        return length == bEnd - bFrom && a.regionMatches(aFrom, b, bFrom, length);
    }

    /** Checks the {@code $share/{shareName}/} head of a filter that {@link #isShared}. */
    private static TopicProblem sharedProblem(String filter) {
        int nameStart = SharedSubscription.PREFIX.length();
        int separator = filter.indexOf('/', nameStart);
        int nameEnd = separator < 0 ? filter.length() : separator;
        if (nameEnd <= nameStart) {
            return TopicProblem.EMPTY_SHARE_NAME;
        }
        for (int i = nameStart; i < nameEnd; i++) {
            char c = filter.charAt(i);
            if (c == '+' || c == '#') {
                return TopicProblem.WILDCARD_IN_SHARE_NAME;
            }
        }
        if (separator < 0 || separator == filter.length() - 1) {
            return TopicProblem.MISSING_SHARED_FILTER;
        }
        return null;
    }

    /**
     * One pass over the characters: wildcard placement, forbidden characters and UTF-8 length.
     * Unpaired surrogates cannot come out of a UTF-8 decoder, but Strings from elsewhere may hold them.
     */
    private static TopicProblem scan(String s, boolean filter) {
        int length = s.length();
        if (length == 0) {
            return TopicProblem.EMPTY;
        }
        if (length > MAX_UTF8_BYTES) {
            return TopicProblem.TOO_LONG; // every char takes at least one byte
        }
        int bytes = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c == '+' || c == '#') {
                if (!filter) {
                    return TopicProblem.WILDCARD_IN_TOPIC_NAME;
                }
                boolean levelStart = i == 0 || s.charAt(i - 1) == '/';
                if (c == '#' && !(levelStart && i == length - 1)) {
                    return TopicProblem.MISPLACED_MULTI_LEVEL_WILDCARD;
                }
                if (c == '+' && !(levelStart && (i == length - 1 || s.charAt(i + 1) == '/'))) {
                    return TopicProblem.MISPLACED_SINGLE_LEVEL_WILDCARD;
                }
                bytes++;
            } else if (c == 0) {
                return TopicProblem.NULL_CHARACTER;
            } else if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == length || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return TopicProblem.UNPAIRED_SURROGATE;
                }
                i++;
                bytes += 4; // a supplementary code point, two chars
            } else {
                bytes += 3;
            }
        }
        return bytes > MAX_UTF8_BYTES ? TopicProblem.TOO_LONG : null;
    }
}
