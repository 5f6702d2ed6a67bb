package org.careloop.hl7.extract;

import java.util.ArrayList;
import java.util.List;

/** What a message carried that could not be used. Each warning names fields, never values (they may be PHI). */
final class Warnings {

    private final List<String> warnings = new ArrayList<>();

    void add(String warning) {
        warnings.add(warning);
    }

    List<String> list() {
        return warnings;
    }
}
