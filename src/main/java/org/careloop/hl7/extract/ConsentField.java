package org.careloop.hl7.extract;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.careloop.consent.ConsentStatus;

/**
 * The field in which a site's feed carries messaging consent: HL7 v2 has no standard one, so each site names its
 * own ("ZPI-3", "PD1-12"...) and the values that mean yes and no.
 */
public record ConsentField(String segment, int field, Set<String> optIn, Set<String> optOut) {

    private static final Pattern SPEC = Pattern.compile("([A-Z][A-Z0-9]{2})-(\\d{1,3})");

    /** From the settings; empty when the site names no field. */
    public static Optional<ConsentField> parse(String spec, String optInValues, String optOutValues) {
        if (spec == null || spec.isBlank()) {
            return Optional.empty();
        }
        Matcher matcher = SPEC.matcher(spec.trim().toUpperCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("careloop.consent.hl7-field=" + spec
                    + " is not a field; use SEGMENT-FIELD such as ZPI-3, or leave it empty");
        }
        return Optional.of(new ConsentField(matcher.group(1), Integer.parseInt(matcher.group(2)),
                values(optInValues), values(optOutValues)));
    }

    Optional<ConsentStatus> read(Hl7Fields fields) {
        String value = fields.get(segment, field, 1).trim().toUpperCase(Locale.ROOT);
        if (optIn.contains(value)) {
            return Optional.of(ConsentStatus.OPT_IN);
        }
        return optOut.contains(value) ? Optional.of(ConsentStatus.OPT_OUT) : Optional.empty();
    }

    private static Set<String> values(String list) {
        return Stream.of(list == null ? new String[0] : list.split(",")).map(v -> v.trim().toUpperCase(Locale.ROOT))
                .filter(v -> !v.isEmpty()).collect(Collectors.toSet());
    }
}
