package io.tidegate.loadgen.client;

import io.tidegate.loadgen.scenario.ScenarioException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Local addresses to connect from, handed out round-robin. One source address has about 28,000
 * ephemeral ports towards one broker address; on loopback the whole 127.0.0.0/8 is local, so
 * spreading over 127.0.0.x lifts that limit without any network setup.
 */
public final class SourceAddresses {

    /** Connections per source address that "auto" plans for: below the default ephemeral range of 28,232 ports. */
    static final int CONNECTIONS_PER_ADDRESS = 20_000;

    private final InetSocketAddress[] addresses;
    private int next;

    private SourceAddresses(List<InetSocketAddress> addresses) {
        this.addresses = addresses.toArray(InetSocketAddress[]::new);
    }

    /**
     * @param spec   {@code auto}, {@code none}, a range {@code 127.0.0.1-127.0.0.8}, or a comma-separated list
     * @param connections how many connections the run opens, for {@code auto}
     * @param loopbackBroker whether the broker is on loopback, for {@code auto}
     */
    public static SourceAddresses parse(String spec, int connections, boolean loopbackBroker) {
        String s = spec.trim();
        if (s.equals("none") || (s.equals("auto") && (!loopbackBroker || connections <= CONNECTIONS_PER_ADDRESS))) {
            return new SourceAddresses(List.of());
        }
        if (s.equals("auto")) {
            int count = Math.min(254, (connections + CONNECTIONS_PER_ADDRESS - 1) / CONNECTIONS_PER_ADDRESS);
            return range("127.0.0.1", "127.0.0." + count);
        }
        if (s.contains("-")) {
            String[] ends = s.split("-", 2);
            return range(ends[0].trim(), ends[1].trim());
        }
        List<InetSocketAddress> list = new ArrayList<>();
        for (String part : s.split(",")) {
            list.add(new InetSocketAddress(address(part.trim()), 0));
        }
        return new SourceAddresses(list);
    }

    private static SourceAddresses range(String from, String to) {
        byte[] a = address(from).getAddress();
        byte[] b = address(to).getAddress();
        if (a.length != 4 || b.length != 4 || a[0] != b[0] || a[1] != b[1] || a[2] != b[2]
                || Byte.toUnsignedInt(a[3]) > Byte.toUnsignedInt(b[3])) {
            throw new ScenarioException("localAddresses: " + from + "-" + to
                    + " must be an IPv4 range within one /24, e.g. 127.0.0.1-127.0.0.8");
        }
        List<InetSocketAddress> list = new ArrayList<>();
        for (int last = Byte.toUnsignedInt(a[3]); last <= Byte.toUnsignedInt(b[3]); last++) {
            byte[] ip = a.clone();
            ip[3] = (byte) last;
            try {
                list.add(new InetSocketAddress(InetAddress.getByAddress(ip), 0));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return new SourceAddresses(list);
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new ScenarioException("localAddresses: '" + text + "' is not an address");
        }
    }

    /** The next address to bind, or null to let the kernel choose. Called from the ramp thread only. */
    public InetSocketAddress next() {
        if (addresses.length == 0) {
            return null;
        }
        InetSocketAddress a = addresses[next];
        next = (next + 1) % addresses.length;
        return a;
    }

    public int size() {
        return addresses.length;
    }

    @Override
    public String toString() {
        return addresses.length == 0 ? "kernel's choice"
                : addresses[0].getAddress().getHostAddress() + (addresses.length > 1
                ? ".." + addresses[addresses.length - 1].getAddress().getHostAddress() : "");
    }
}
