package io.ocppgw.launcher;

import picocli.CommandLine;

/** The version from the jar manifest (set by the build). */
final class VersionProvider implements CommandLine.IVersionProvider {

    static String version() {
        String v = Ocppgw.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "ocppgw " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        };
    }
}
