package io.tidegate;

/** The build's version, from the jar manifest (or "dev" when run from classes). */
public final class Version {

    private Version() {
    }

    public static String get() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
