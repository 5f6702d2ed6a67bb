package org.careloop.hl7.intake;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** HL7 table 0211 (MSH-18 character set) to Java charsets. */
final class Hl7Charsets {

    private static final Map<String, String> TABLE_0211 = Map.ofEntries(
            Map.entry("ASCII", "US-ASCII"),
            Map.entry("UNICODE UTF-8", "UTF-8"),
            Map.entry("UTF-8", "UTF-8"),
            Map.entry("UNICODE", "UTF-8"),
            Map.entry("ISO IR6", "US-ASCII"),
            Map.entry("ISO IR100", "ISO-8859-1"),
            Map.entry("ISO IR192", "UTF-8"),
            Map.entry("GB 18030-2000", "GB18030"),
            Map.entry("BIG-5", "Big5"),
            Map.entry("KS X 1001", "EUC-KR"),
            Map.entry("ISO IR87", "ISO-2022-JP"),
            Map.entry("WINDOWS-1252", "windows-1252"),
            Map.entry("CP1252", "windows-1252"));

    private Hl7Charsets() {
    }

    /** The charset MSH-18 names (its first repetition), if CareLoop knows it. 8859/n maps to ISO-8859-n. */
    static Optional<Charset> fromMsh18(String msh18) {
        String name = msh18.trim().toUpperCase(Locale.ROOT);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (name.startsWith("8859/")) {
            return lookup("ISO-8859-" + name.substring(5));
        }
        String javaName = TABLE_0211.get(name);
        return javaName == null ? lookup(name) : Optional.of(Charset.forName(javaName));
    }

    private static Optional<Charset> lookup(String name) {
        try {
            return Optional.of(Charset.forName(name));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }
}
