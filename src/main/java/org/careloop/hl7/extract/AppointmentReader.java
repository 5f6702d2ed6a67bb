package org.careloop.hl7.extract;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import org.careloop.event.Appointment;
import org.careloop.event.AppointmentStatus;
import org.careloop.event.Coded;
import org.careloop.event.Location;
import org.careloop.event.Practitioner;
import org.careloop.hl7.HandledMessage;

/**
 * Reads an SIU message's appointment: SCH for ids, timing and status; TQ1 (v2.5+) for timing; the resource groups
 * (AIS service, AIL location, AIP provider) for what SCH leaves out; PV1 as a fallback for place and clinician.
 */
final class AppointmentReader {

    private final ZoneId siteZone;
    private final AppointmentStatusMap statuses;

    AppointmentReader(ZoneId siteZone, AppointmentStatusMap statuses) {
        this.siteZone = siteZone;
        this.statuses = statuses;
    }

    /** @param system the sending application, which qualifies the appointment ids */
    Appointment read(Hl7Fields fields, String system, HandledMessage type, Warnings warnings) {
        String placerId = fields.get("SCH", 1, 1);
        String fillerId = fields.get("SCH", 2, 1);
        if (placerId.isEmpty() && fillerId.isEmpty()) {
            throw new ExtractionException("SCH-1 (placer appointment id) and SCH-2 (filler appointment id) are empty");
        }
        Optional<Hl7Time.Moment> start = start(fields, warnings);
        String statusCode = fields.get("SCH", 25, 1);
        String statusText = fields.get("SCH", 25, 2);
        return new Appointment(system, fillerId.isEmpty() ? placerId : fillerId, placerId, fillerId,
                start.map(Hl7Time.Moment::instant).orElse(null), siteZone.getId(),
                start.map(Hl7Time.Moment::dateOnly).orElse(false),
                duration(fields).orElse(null), location(fields), provider(fields), service(fields),
                status(type, statusCode, statusText, warnings),
                statusText.isEmpty() ? statusCode : statusCode + "^" + statusText);
    }

    /** From a start to an end with a time of day each, when the end is after the start. */
    private Optional<Duration> between(String start, String end) {
        Optional<Hl7Time.Moment> from = Hl7Time.parse(start, siteZone).filter(m -> !m.dateOnly());
        Optional<Hl7Time.Moment> to = Hl7Time.parse(end, siteZone).filter(m -> !m.dateOnly());
        return from.flatMap(f -> to.map(t -> Duration.between(f.instant(), t.instant())))
                .filter(d -> !d.isNegative() && !d.isZero());
    }

    /**
     * TQ1-7, else SCH-11.4, else AIS-4, AIL-6, AIP-6; a value with a time of day wins over a date-only one, because
     * feeds send a date-only SCH-11 with the time in AIS-4.
     */
    private Optional<Hl7Time.Moment> start(Hl7Fields fields, Warnings warnings) {
        String[][] candidates = {
            {"TQ1-7", fields.get("TQ1", 7, 1)},
            {"SCH-11.4", fields.get("SCH", 11, 4, 1)},
            {"AIS-4", fields.get("AIS", 4, 1)},
            {"AIL-6", fields.get("AIL", 6, 1)},
            {"AIP-6", fields.get("AIP", 6, 1)},
        };
        Hl7Time.Moment dateOnly = null;
        for (String[] candidate : candidates) {
            if (candidate[1].isEmpty()) {
                continue;
            }
            Optional<Hl7Time.Moment> moment = Hl7Time.parse(candidate[1], siteZone);
            if (moment.isEmpty()) {
                warnings.add(candidate[0] + ": not a valid HL7 timestamp");
            } else if (!moment.get().dateOnly()) {
                return moment;
            } else if (dateOnly == null) {
                dateOnly = moment.get();
            }
        }
        if (dateOnly == null) {
            warnings.add("no appointment start in TQ1-7, SCH-11.4, AIS-4, AIL-6 or AIP-6");
        }
        return Optional.ofNullable(dateOnly);
    }

    /** TQ1-6, else TQ1-8 end minus TQ1-7 start, else SCH-9 with SCH-10 units, else AIS-7 with AIS-8 units. */
    private Optional<Duration> duration(Hl7Fields fields) {
        return DurationReader.read(fields.get("TQ1", 6, 1), fields.get("TQ1", 6, 2, 1))
                .or(() -> between(fields.get("TQ1", 7, 1), fields.get("TQ1", 8, 1)))
                .or(() -> DurationReader.read(fields.get("SCH", 9, 1), fields.get("SCH", 10, 1)))
                .or(() -> DurationReader.read(fields.get("AIS", 7, 1), fields.get("AIS", 8, 1)));
    }

    private static Location location(Hl7Fields fields) {
        return fields.segment("AIL").map(ail -> DataTypes.location(ail, 3))
                .or(() -> fields.segment("PV1").map(pv1 -> DataTypes.location(pv1, 3)))
                .orElse(null);
    }

    private static Practitioner provider(Hl7Fields fields) {
        return fields.segment("AIP").map(aip -> DataTypes.practitioner(aip, 3))
                .or(() -> fields.segment("PV1").map(pv1 -> DataTypes.practitioner(pv1, 7)))
                .orElse(null);
    }

    /** AIS-3 (universal service id), else SCH-7 (appointment reason). */
    private static Coded service(Hl7Fields fields) {
        return fields.segment("AIS").map(ais -> DataTypes.coded(ais, 3))
                .or(() -> fields.segment("SCH").map(sch -> DataTypes.coded(sch, 7)))
                .orElse(null);
    }

    /**
     * The trigger decides for cancellations, deletions and no-shows, whatever SCH-25 says; otherwise SCH-25 through
     * the status map, and booked when it is empty.
     */
    private AppointmentStatus status(HandledMessage type, String code, String text, Warnings warnings) {
        switch (type.kind()) {
            case APPOINTMENT_CANCELLED, APPOINTMENT_DELETED:
                return AppointmentStatus.CANCELLED;
            case APPOINTMENT_NO_SHOW:
                return AppointmentStatus.NOSHOW;
            default:
                break;
        }
        if (code.isEmpty() && text.isEmpty()) {
            return AppointmentStatus.BOOKED;
        }
        Optional<AppointmentStatus> mapped = statuses.lookup(code, text);
        if (mapped.isEmpty()) {
            warnings.add("SCH-25: status '" + code + (text.isEmpty() ? "" : "^" + text) + "' is not in table 0278 "
                    + "or the site codes file; read as booked");
        }
        return mapped.orElse(AppointmentStatus.BOOKED);
    }
}
