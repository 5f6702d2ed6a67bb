package org.careloop.hl7.extract;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.careloop.event.AppointmentStatus;

/**
 * SCH-25 filler status codes to appointment statuses: HL7 table 0278, then the site's own codes (Epic's "1^SCH",
 * "Sch^Scheduled"...). A code is looked up as the whole field ("1^SCH"), then by its first and second components.
 */
final class AppointmentStatusMap {

    private static final Map<String, AppointmentStatus> TABLE_0278 = Map.ofEntries(
            Map.entry("PENDING", AppointmentStatus.PENDING),
            Map.entry("WAITLIST", AppointmentStatus.WAITLIST),
            Map.entry("BOOKED", AppointmentStatus.BOOKED),
            Map.entry("OVERBOOK", AppointmentStatus.BOOKED),
            Map.entry("STARTED", AppointmentStatus.ARRIVED),
            Map.entry("COMPLETE", AppointmentStatus.FULFILLED),
            Map.entry("CANCELLED", AppointmentStatus.CANCELLED),
            Map.entry("DC", AppointmentStatus.CANCELLED),
            Map.entry("DELETED", AppointmentStatus.CANCELLED),
            Map.entry("NOSHOW", AppointmentStatus.NOSHOW));

    private final Map<String, AppointmentStatus> codes = new HashMap<>(TABLE_0278);

    AppointmentStatusMap(Map<String, AppointmentStatus> siteCodes) {
        codes.putAll(siteCodes);
    }

    Optional<AppointmentStatus> lookup(String identifier, String text) {
        for (String key : new String[] {identifier + "^" + text, identifier, text}) {
            AppointmentStatus status = codes.get(key.trim().toUpperCase(Locale.ROOT));
            if (status != null) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
