package org.careloop.hl7.extract;

import ca.uhn.hl7v2.model.Segment;
import java.time.Instant;
import java.time.ZoneId;
import org.careloop.event.Visit;

/** Reads the visit of an ADT message from PV1. */
final class VisitReader {

    private final ZoneId siteZone;

    VisitReader(ZoneId siteZone) {
        this.siteZone = siteZone;
    }

    /** Null when the message has no PV1 (A28/A31 often have none). */
    Visit read(Hl7Fields fields, Warnings warnings) {
        return fields.segment("PV1").map(pv1 -> new Visit(
                Hl7Fields.get(pv1, 19, 0, 1, 1),
                Hl7Fields.get(pv1, 2, 0, 1, 1),
                DataTypes.location(pv1, 3),
                DataTypes.practitioner(pv1, 7),
                instant(pv1, 44, warnings),
                instant(pv1, 45, warnings),
                Hl7Fields.get(pv1, 36, 0, 1, 1)))
                .orElse(null);
    }

    private Instant instant(Segment pv1, int field, Warnings warnings) {
        String value = Hl7Fields.get(pv1, field, 0, 1, 1);
        if (value.isEmpty()) {
            return null;
        }
        Instant instant = Hl7Time.parse(value, siteZone).map(Hl7Time.Moment::instant).orElse(null);
        if (instant == null) {
            warnings.add("PV1-" + field + ": not a valid HL7 timestamp");
        }
        return instant;
    }
}
