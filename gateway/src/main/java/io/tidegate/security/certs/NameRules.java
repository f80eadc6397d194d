package io.tidegate.security.certs;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

import org.bouncycastle.util.IPAddress;

/** Checks on names before they go into a certificate, so mistakes fail at the call, not at handshake. */
final class NameRules {

    /** RFC 5280 ub-common-name. */
    static final int MAX_COMMON_NAME = 64;

    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern DNS_NAME = Pattern.compile("(?:\\*\\.)?" + LABEL + "(?:\\." + LABEL + ")*");

    private NameRules() {
    }

    static String requireCommonName(String commonName) {
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("common name must not be blank");
        }
        if (commonName.length() > MAX_COMMON_NAME) {
            throw new IllegalArgumentException(
                    "common name longer than " + MAX_COMMON_NAME + " characters: " + commonName);
        }
        return commonName;
    }

    /** Host names as the JDK's certificate parser accepts them (letters, digits, hyphens; optional leading "*."). */
    static boolean isDnsName(String name) {
        return name != null && name.length() <= 253 && DNS_NAME.matcher(name).matches();
    }

    static String requireDnsName(String name) {
        if (!isDnsName(name)) {
            throw new IllegalArgumentException("not a valid DNS name: " + name);
        }
        return name;
    }

    /** Literal IPv4 or IPv6 addresses only; never resolves a host name. */
    static String requireIpAddress(String address) {
        if (address == null || !IPAddress.isValid(address)) {
            throw new IllegalArgumentException("not an IP address literal: " + address);
        }
        return address;
    }

    static String requireUri(String uri) {
        try {
            if (uri != null && new URI(uri).isAbsolute()) {
                return uri;
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URI: " + uri, e);
        }
        throw new IllegalArgumentException("not an absolute URI: " + uri);
    }
}
