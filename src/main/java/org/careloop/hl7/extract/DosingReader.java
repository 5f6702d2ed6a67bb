package org.careloop.hl7.extract;

import ca.uhn.hl7v2.model.Segment;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.careloop.event.Dosing;

/**
 * Reads when a pharmacy order is taken: ORC-1, then TQ1 (v2.5+: 3 repeat pattern, 4 explicit times, 6 service
 * duration, 7 start, 8 end), else RXE-1 (the older TQ: 2 interval, 4 start, 5 end).
 */
final class DosingReader {

    private final ZoneId siteZone;

    DosingReader(ZoneId siteZone) {
        this.siteZone = siteZone;
    }

    Dosing read(Hl7Fields fields, Warnings warnings) {
        String control = fields.get("ORC", 1, 1).toUpperCase(Locale.ROOT);
        Optional<Segment> tq1 = fields.segment("TQ1");
        if (tq1.isPresent()) {
            Segment t = tq1.get();
            List<LocalTime> times = new ArrayList<>();
            for (int i = 0; i < Hl7Fields.repetitions(t, 4); i++) {
                time(Hl7Fields.get(t, 4, i, 1, 1), warnings).ifPresent(times::add);
            }
            return new Dosing(control, Hl7Fields.get(t, 3, 0, 1, 1).toUpperCase(Locale.ROOT), times,
                    instant(Hl7Fields.get(t, 7, 0, 1, 1), "TQ1-7", warnings),
                    instant(Hl7Fields.get(t, 8, 0, 1, 1), "TQ1-8", warnings),
                    DurationReader.read(Hl7Fields.get(t, 6, 0, 1, 1), Hl7Fields.get(t, 6, 0, 2, 1)).orElse(null));
        }
        return new Dosing(control, fields.get("RXE", 1, 2).toUpperCase(Locale.ROOT), List.of(),
                instant(fields.get("RXE", 1, 4), "RXE-1.4", warnings),
                instant(fields.get("RXE", 1, 5), "RXE-1.5", warnings), null);
    }

    private Instant instant(String value, String field, Warnings warnings) {
        if (value.isEmpty()) {
            return null;
        }
        Optional<Instant> instant = Hl7Time.parse(value, siteZone).map(Hl7Time.Moment::instant);
        if (instant.isEmpty()) {
            warnings.add(field + ": not a valid HL7 timestamp");
        }
        return instant.orElse(null);
    }

    /** An HL7 TM: HHMM[SS], as the site's local time. */
    private static Optional<LocalTime> time(String value, Warnings warnings) {
        if (value.matches("\\d{4}(\\d{2})?.*")) {
            int hour = Integer.parseInt(value.substring(0, 2));
            int minute = Integer.parseInt(value.substring(2, 4));
            if (hour < 24 && minute < 60) {
                return Optional.of(LocalTime.of(hour, minute));
            }
        }
        warnings.add("TQ1-4: an explicit time that is not HHMM");
        return Optional.empty();
    }
}
