package io.tidegate.loadgen.verify;

import java.util.Comparator;

/** Orders device ids as people expect: {@code device-2} before {@code device-10}. */
final class DeviceIds {

    static final Comparator<String> NATURAL_ORDER = DeviceIds::compare;

    private DeviceIds() {
    }

    static int compare(String a, String b) {
        int ia = numberStart(a);
        int ib = numberStart(b);
        int byPrefix = a.substring(0, ia).compareTo(b.substring(0, ib));
        if (byPrefix != 0) {
            return byPrefix;
        }
        String na = a.substring(ia);
        String nb = b.substring(ib);
        // Shorter digit strings are smaller numbers; equal lengths compare digit by digit.
        return na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
    }

    /** Index where the trailing digits begin (the length when there are none). */
    private static int numberStart(String s) {
        int i = s.length();
        while (i > 0 && Character.isDigit(s.charAt(i - 1))) {
            i--;
        }
        return i;
    }
}
