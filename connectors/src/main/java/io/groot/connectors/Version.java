package io.groot.connectors;

/** The connectors' version, from the jar's manifest (unknown when run from classes). */
final class Version {
    private Version() {
    }

    static String get() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version != null ? version : "unknown";
    }
}
