package org.careloop.hl7.extract;

import ca.uhn.hl7v2.model.Segment;
import org.careloop.event.Coded;
import org.careloop.event.Location;
import org.careloop.event.Practitioner;

/** The composite HL7 types several segments share, read into the event's value types. */
final class DataTypes {

    private DataTypes() {
    }

    /** PL: 1 point of care, 2 room, 4 facility (HD.1), 9 description. Null when empty. */
    static Location location(Segment segment, int field) {
        Location location = new Location(
                Hl7Fields.get(segment, field, 0, 1, 1),
                Hl7Fields.get(segment, field, 0, 2, 1),
                Hl7Fields.get(segment, field, 0, 4, 1),
                Hl7Fields.get(segment, field, 0, 9, 1));
        return (location.pointOfCare() + location.room() + location.facility() + location.description()).isEmpty()
                ? null : location;
    }

    /** XCN: 1 id, 2 family (FN.1), 3 given, 6 prefix. Null when empty. */
    static Practitioner practitioner(Segment segment, int field) {
        Practitioner practitioner = new Practitioner(
                Hl7Fields.get(segment, field, 0, 1, 1),
                Hl7Fields.get(segment, field, 0, 2, 1),
                Hl7Fields.get(segment, field, 0, 3, 1),
                Hl7Fields.get(segment, field, 0, 6, 1));
        return (practitioner.id() + practitioner.family() + practitioner.given()).isEmpty() ? null : practitioner;
    }

    /** CE/CWE: 1 code, 2 text, 3 coding system. Null when empty. */
    static Coded coded(Segment segment, int field) {
        Coded coded = new Coded(
                Hl7Fields.get(segment, field, 0, 1, 1),
                Hl7Fields.get(segment, field, 0, 2, 1),
                Hl7Fields.get(segment, field, 0, 3, 1));
        return (coded.code() + coded.display()).isEmpty() ? null : coded;
    }
}
