package io.tidegate.security;

/**
 * Who a connected client is, as proven by the transport: the name taken from its client
 * certificate, or anonymous.
 *
 * @param name   the device identity (certificate CN or SAN); {@code null} when anonymous
 * @param source where the name came from, e.g. {@code cn}, or {@code anonymous}
 */
public record Identity(String name, String source) {

    public static final Identity ANONYMOUS = new Identity(null, "anonymous");

    public boolean isAnonymous() {
        return name == null;
    }

    @Override
    public String toString() {
        return isAnonymous() ? "anonymous" : name + " (" + source + ")";
    }
}
