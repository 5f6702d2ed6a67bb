package org.careloop.fhir.subscription;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.careloop.event.AppointmentStatus;
import org.careloop.event.CareEvent;
import org.careloop.event.Coded;
import org.careloop.event.EventKind;
import org.careloop.event.PatientId;
import org.careloop.event.PersonName;
import org.careloop.event.Phone;
import org.careloop.event.PhoneNumbers;
import org.careloop.event.Source;
import org.careloop.event.Visit;
import org.careloop.fhir.writeback.AppointmentLocator;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;

/**
 * FHIR resources as CareEvents, the same shape the HL7 feed produces, so planning cannot tell them apart:
 *
 * <ul>
 *   <li>Appointment: status, start and duration (end or minutesDuration), the Patient, Practitioner and Location
 *       participants (read by the caller), serviceType; known to CareLoop as {@code FHIR|<id>}, so replies are
 *       written back to it by id;</li>
 *   <li>Patient: identifiers (the site's patient identifier system gives PID-3's authority back, so consent recorded
 *       from HL7 applies), name, the mobile number (use mobile first, then by rank), the preferred
 *       {@code communication.language}.</li>
 * </ul>
 */
public final class FhirCareEvents {

    private final ZoneId zone;
    private final PhoneNumbers phones;
    private final Pattern patientIdentifierSystem;
    private final Pattern appointmentIdentifierSystem;

    /**
     * @param patientIdentifierSystem     e.g. {@code urn:careloop:patient:{authority}}
     * @param appointmentIdentifierSystem e.g. {@code urn:careloop:appointment:{system}}: an Appointment with such an
     *                                    identifier is the HL7 feed's appointment of that sending application, one
     *                                    subject whichever channel reports it
     */
    public FhirCareEvents(ZoneId zone, PhoneNumbers phones, String patientIdentifierSystem,
            String appointmentIdentifierSystem) {
        this.zone = zone;
        this.phones = phones;
        this.patientIdentifierSystem = placeholderPattern(patientIdentifierSystem, "{authority}");
        this.appointmentIdentifierSystem = placeholderPattern(appointmentIdentifierSystem, "{system}");
    }

    /** The system with its placeholder as a capturing group, or null when it has none. */
    private static Pattern placeholderPattern(String system, String placeholder) {
        int at = system.indexOf(placeholder);
        return at < 0 ? null : Pattern.compile(Pattern.quote(system.substring(0, at)) + "(.+)"
                + Pattern.quote(system.substring(at + placeholder.length())));
    }

    /** What a participant reference pointed at, read by the caller; any may be absent. */
    public record Participants(Patient patient, Practitioner practitioner, Location location) {
    }

    public CareEvent appointment(EventKind kind, Appointment appointment, Participants participants, Source source) {
        List<String> warnings = new ArrayList<>();
        Instant start = appointment.hasStart() ? appointment.getStart().toInstant() : null;
        Duration duration = appointment.hasEnd() && start != null
                ? Duration.between(start, appointment.getEnd().toInstant())
                : appointment.hasMinutesDuration() ? Duration.ofMinutes(appointment.getMinutesDuration()) : null;
        String status = appointment.hasStatus() ? appointment.getStatus().toCode() : "";
        String id = appointment.getIdElement().getIdPart();
        String identifier = appointment.getIdentifier().stream().map(Identifier::getValue).filter(v -> v != null)
                .findFirst().orElse("");
        org.careloop.event.Patient patient = participants.patient() == null ? unknownPatient()
                : patient(participants.patient(), warnings);
        if (participants.patient() == null) {
            warnings.add("Appointment.participant: no Patient could be read");
        }
        Optional<Identifier> linked = hl7Identifier(appointment);
        return new CareEvent(kind, source, patient, new org.careloop.event.Appointment(
                linked.map(this::hl7System).orElse(AppointmentLocator.FHIR_SYSTEM),
                linked.map(Identifier::getValue).orElse(id), "", identifier, start, zone.getId(), false, duration,
                location(participants.location()),
                practitioner(participants.practitioner()), service(appointment), status(status), status),
                null, null, null, warnings);
    }

    /**
     * The identifier that links the Appointment to the HL7 feed's appointment ({@code urn:careloop:appointment:EPIC}
     * with SCH-2 as value): then it is that appointment, one subject whichever channel reports it, and whichever
     * comes first. Without one it is known by its FHIR id.
     */
    private Optional<Identifier> hl7Identifier(Appointment appointment) {
        return appointmentIdentifierSystem == null ? Optional.empty() : appointment.getIdentifier().stream()
                .filter(i -> i.getValue() != null && i.getSystem() != null
                        && appointmentIdentifierSystem.matcher(i.getSystem()).matches())
                .findFirst();
    }

    private String hl7System(Identifier identifier) {
        Matcher system = appointmentIdentifierSystem.matcher(identifier.getSystem());
        return system.matches() ? system.group(1) : AppointmentLocator.FHIR_SYSTEM;
    }

    /**
     * A DiagnosticReport as a results report: its id, code, category (the section) and status read into HL7's result
     * statuses (final F; amended, corrected, appended C; cancelled X; entered-in-error W; the rest P), its encounter
     * as the visit whose reports one notice covers. Never its results.
     */
    public CareEvent result(DiagnosticReport report, Patient subject, Source source) {
        List<String> warnings = new ArrayList<>();
        if (subject == null) {
            warnings.add("DiagnosticReport.subject: no Patient could be read");
        }
        Coded read = coded(report.getCode());
        // LOINC by its HL7 v2 name, so that a site's sensitive codes (LN|75622-1) hold for both channels
        Coded code = "http://loinc.org".equals(read.system()) ? new Coded(read.code(), read.display(), "LN") : read;
        String section = text(report.getCategoryFirstRep().getCodingFirstRep().getCode());
        String status = switch (report.hasStatus() ? report.getStatus() : DiagnosticReport.DiagnosticReportStatus.NULL) {
            case FINAL -> "F";
            case AMENDED, CORRECTED, APPENDED -> "C";
            case CANCELLED -> "X";
            case ENTEREDINERROR -> "W";
            default -> "P";
        };
        String basedOn = report.hasBasedOn() ? text(report.getBasedOnFirstRep().getReferenceElement().getIdPart()) : "";
        org.careloop.event.Order order = new org.careloop.event.Order(basedOn, report.getIdElement().getIdPart(), code,
                status, "", List.of(new org.careloop.event.Order.ReportedTest(code, section, status)));
        Visit visit = report.hasEncounter() ? new Visit(report.getEncounter().getReferenceElement().getIdPart(), "",
                null, null, null, null, "") : null;
        return new CareEvent(EventKind.RESULT_REPORTED, source, subject == null ? unknownPatient()
                : patient(subject, warnings), null, visit, order, null, warnings);
    }

    public CareEvent patientUpdated(Patient patient, Source source) {
        List<String> warnings = new ArrayList<>();
        return new CareEvent(EventKind.PATIENT_UPDATED, source, patient(patient, warnings), null, null, null, null,
                warnings);
    }

    /** A patient the server could not give us: no ids, no number, so nothing can be sent. */
    private static org.careloop.event.Patient unknownPatient() {
        return new org.careloop.event.Patient(List.of(), new PersonName("", "", "", ""), null, null, "", false,
                List.of(), null, null);
    }

    private org.careloop.event.Patient patient(Patient patient, List<String> warnings) {
        List<PatientId> site = new ArrayList<>();
        List<PatientId> others = new ArrayList<>();
        for (Identifier identifier : patient.getIdentifier()) {
            if (identifier.getValue() == null || identifier.getSystem() == null) {
                continue;
            }
            Matcher authority = patientIdentifierSystem == null ? null
                    : patientIdentifierSystem.matcher(identifier.getSystem());
            if (authority != null && authority.matches()) {
                site.add(new PatientId(identifier.getValue(), authority.group(1), "MR"));
            } else {
                others.add(new PatientId(identifier.getValue(), identifier.getSystem(), ""));
            }
        }
        site.addAll(others);
        site.add(new PatientId(patient.getIdElement().getIdPart(), AppointmentLocator.FHIR_SYSTEM + "-Patient", ""));
        HumanName name = patient.getName().stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst()
                .orElse(patient.getNameFirstRep());
        String language = patient.getCommunication().stream()
                .sorted(Comparator.comparing(c -> !c.getPreferred()))
                .map(c -> c.getLanguage().getCodingFirstRep().getCode()).filter(c -> c != null).findFirst().orElse("");
        return new org.careloop.event.Patient(site, new PersonName(text(name.getFamily()), text(name.getGivenAsSingleString()
                .split(" ")[0]), "", text(name.getPrefixAsSingleString())), phone(patient, warnings).orElse(null),
                language(language, warnings), language, false, List.of(), deceased(patient),
                birthDate(patient));
    }

    /** Patient.birthDate, which may name only a year or a month: then its first day, the youngest it can mean. */
    private static LocalDate birthDate(Patient patient) {
        if (!patient.hasBirthDate()) {
            return null;
        }
        DateType date = patient.getBirthDateElement();
        TemporalPrecisionEnum precision = date.getPrecision();
        return LocalDate.of(date.getYear(), precision == TemporalPrecisionEnum.YEAR ? 1 : date.getMonth() + 1,
                precision == TemporalPrecisionEnum.DAY || precision.ordinal() > TemporalPrecisionEnum.DAY.ordinal()
                        ? date.getDay() : 1);
    }

    /** deceasedBoolean true or a deceasedDateTime: died; deceasedBoolean false: alive; neither: not said. */
    private static Boolean deceased(Patient patient) {
        if (patient.hasDeceasedDateTimeType()) {
            return true;
        }
        return patient.hasDeceasedBooleanType() ? patient.getDeceasedBooleanType().booleanValue() : null;
    }

    /** The mobile first, then the others by rank (1 is the most preferred; no rank comes last). */
    private Optional<Phone> phone(Patient patient, List<String> warnings) {
        List<ContactPoint> numbers = patient.getTelecom().stream()
                .filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE
                        || t.getSystem() == ContactPoint.ContactPointSystem.SMS)
                .filter(t -> t.getUse() != ContactPoint.ContactPointUse.OLD && t.getValue() != null)
                .sorted(Comparator.comparing((ContactPoint t) -> t.getUse() != ContactPoint.ContactPointUse.MOBILE)
                        .thenComparing(t -> t.hasRank() ? t.getRank() : Integer.MAX_VALUE))
                .toList();
        for (ContactPoint number : numbers) {
            String use = number.hasUse() ? number.getUse().toCode() : "";
            Optional<Phone> phone = phones.read(number.getValue(), use, number.getSystem().toCode());
            if (phone.isPresent()) {
                return phone;
            }
            warnings.add("Patient.telecom: a " + (use.isEmpty() ? "listed" : use) + " number is not a valid phone "
                    + "number in region " + phones.defaultRegion());
        }
        return Optional.empty();
    }

    private static String language(String code, List<String> warnings) {
        if (code.isBlank()) {
            return null;
        }
        try {
            return new Locale.Builder().setLanguageTag(code.trim()).build().toLanguageTag();
        } catch (IllformedLocaleException e) {
            warnings.add("Patient.communication.language: a code that is not BCP-47");
            return null;
        }
    }

    private static org.careloop.event.Location location(Location location) {
        if (location == null) {
            return null;
        }
        return new org.careloop.event.Location(location.getIdElement().getIdPart(), "",
                location.hasManagingOrganization() ? text(location.getManagingOrganization().getDisplay()) : "",
                text(location.getName()));
    }

    private static org.careloop.event.Practitioner practitioner(Practitioner practitioner) {
        if (practitioner == null) {
            return null;
        }
        HumanName name = practitioner.getNameFirstRep();
        return new org.careloop.event.Practitioner(practitioner.getIdElement().getIdPart(), text(name.getFamily()),
                text(name.getGivenAsSingleString()), text(name.getPrefixAsSingleString()));
    }

    private static Coded service(Appointment appointment) {
        return appointment.hasServiceType() ? coded(appointment.getServiceTypeFirstRep()) : null;
    }

    private static Coded coded(CodeableConcept concept) {
        return new Coded(text(concept.getCodingFirstRep().getCode()),
                text(concept.hasText() ? concept.getText() : concept.getCodingFirstRep().getDisplay()),
                text(concept.getCodingFirstRep().getSystem()));
    }

    private static AppointmentStatus status(String code) {
        return code.isEmpty() ? null : AppointmentStatus.valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
