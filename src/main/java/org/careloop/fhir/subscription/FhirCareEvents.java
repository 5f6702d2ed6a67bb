package org.careloop.fhir.subscription;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.careloop.event.AppointmentStatus;
import org.careloop.event.CareEvent;
import org.careloop.event.Coded;
import org.careloop.event.Dosing;
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
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Timing;

/**
 * FHIR resources as CareEvents, the same shape the HL7 feed produces, so planning cannot tell them apart:
 *
 * <ul>
 *   <li>Appointment: status, start and duration (end or minutesDuration), the Patient, Practitioner and Location
 *       participants (read by the caller), serviceType; known to CareLoop as {@code FHIR|<id>}, so replies are
 *       written back to it by id;</li>
 *   <li>Patient: identifiers (the site's patient identifier system gives PID-3's authority back, so consent recorded
 *       from HL7 applies), name, the mobile number (use mobile first, then by rank), the preferred
 *       {@code communication.language}, the birth date;</li>
 *   <li>Encounter: a stay, its discharge (period end, discharge disposition) or its cancellation;</li>
 *   <li>DiagnosticReport: a results report, to the level of its id, code, category and status;</li>
 *   <li>MedicationRequest: a pharmacy order and its first dosage's timing.</li>
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
        DiagnosticReport.DiagnosticReportStatus reported = report.hasStatus() ? report.getStatus()
                : DiagnosticReport.DiagnosticReportStatus.NULL;
        String status = switch (reported) {
            case FINAL -> "F";
            case AMENDED, CORRECTED, APPENDED -> "C";
            case CANCELLED -> "X";
            case ENTEREDINERROR -> "W";
            default -> "P";
        };
        String basedOn = report.hasBasedOn() ? text(report.getBasedOnFirstRep().getReferenceElement().getIdPart()) : "";
        org.careloop.event.Order order = new org.careloop.event.Order(basedOn, report.getIdElement().getIdPart(), code,
                status, "", List.of(new org.careloop.event.Order.ReportedTest(code, section, status)), null);
        Visit visit = report.hasEncounter() ? new Visit(report.getEncounter().getReferenceElement().getIdPart(), "",
                null, null, null, null, "") : null;
        return new CareEvent(EventKind.RESULT_REPORTED, source, subject == null ? unknownPatient()
                : patient(subject, warnings), null, visit, order, null, warnings);
    }

    /**
     * A MedicationRequest as a pharmacy order: its status (and the one before it) read into ORC-1 (active: NW, XO for
     * a later version, RL after on-hold or draft; on-hold and draft: HD; stopped, cancelled, completed,
     * entered-in-error: DC) and its first dosage's timing into the HL7 shape: timing.code, or one made from
     * repeat.frequency/period (2 a day: BID; every 6 h: Q6H) or repeat.when (MORN, EVE, HS), timeOfDay, and the
     * bounds (boundsPeriod, boundsDuration).
     */
    public CareEvent medication(MedicationRequest request, Optional<String> statusBefore, Patient subject,
            Source source) {
        List<String> warnings = new ArrayList<>();
        if (subject == null) {
            warnings.add("MedicationRequest.subject: no Patient could be read");
        }
        String status = request.hasStatus() ? request.getStatus().toCode() : "unknown";
        String control = switch (status) {
            case "active" -> statusBefore.isEmpty() ? "NW"
                    : statusBefore.get().equals("on-hold") || statusBefore.get().equals("draft") ? "RL" : "XO";
            case "on-hold", "draft", "unknown" -> "HD";
            default -> "DC";
        };
        Timing timing = request.getDosageInstructionFirstRep().getTiming();
        Timing.TimingRepeatComponent repeat = timing.getRepeat();
        // an empty timeOfDay or a boundsDuration without a value is read as absent, not as a failed delivery
        List<LocalTime> times = repeat.getTimeOfDay().stream().filter(t -> t.getValue() != null)
                .map(t -> LocalTime.parse(t.getValue())).toList();
        Instant start = repeat.hasBoundsPeriod() && repeat.getBoundsPeriod().hasStart()
                ? repeat.getBoundsPeriod().getStart().toInstant() : null;
        Instant end = repeat.hasBoundsPeriod() && repeat.getBoundsPeriod().hasEnd()
                ? repeat.getBoundsPeriod().getEnd().toInstant() : null;
        Duration bounds = repeat.hasBoundsDuration() && repeat.getBoundsDuration().hasValue()
                ? Duration.ofMinutes(Math.round(repeat.getBoundsDuration().getValue().doubleValue()
                        * minutesPer(repeat.getBoundsDuration().getCode()))) : null;
        Coded code = coded(request.getMedicationCodeableConcept());
        org.careloop.event.Order order = new org.careloop.event.Order(request.getIdElement().getIdPart(), "", code,
                status, "", List.of(), new Dosing(control, pattern(timing), times, start, end, bounds));
        return new CareEvent(EventKind.MEDICATION_ORDERED, source, subject == null ? unknownPatient()
                : patient(subject, warnings), null, null, order, null, warnings);
    }

    /** The repeat pattern in HL7's words: timing.code, else made from frequency/period or when; "" when neither. */
    private static String pattern(Timing timing) {
        if (timing.getCode().getCodingFirstRep().hasCode()) {
            return timing.getCode().getCodingFirstRep().getCode().toUpperCase(Locale.ROOT);
        }
        Timing.TimingRepeatComponent repeat = timing.getRepeat();
        if (repeat.hasWhen()) {
            return switch (repeat.getWhen().get(0).getValue()) {
                case MORN, MORN_EARLY, MORN_LATE, WAKE -> "QAM";
                case EVE, EVE_EARLY, EVE_LATE -> "QPM";
                case HS, NIGHT -> "HS";
                default -> "";
            };
        }
        int frequency = repeat.hasFrequency() ? repeat.getFrequency() : 1;
        double period = repeat.hasPeriod() ? repeat.getPeriod().doubleValue() : 0;
        String unit = repeat.hasPeriodUnit() ? repeat.getPeriodUnit().toCode() : "";
        if (unit.equals("d") && period == 1 && frequency >= 1 && frequency <= 4) {
            return List.of("QD", "BID", "TID", "QID").get(frequency - 1);
        }
        return unit.equals("h") && frequency == 1 && period >= 1 && period == Math.rint(period)
                ? "Q" + (int) period + "H" : "";
    }

    private static long minutesPer(String ucumUnit) {
        return switch (ucumUnit == null ? "" : ucumUnit) {
            case "min" -> 1;
            case "h" -> 60;
            case "wk" -> 7 * 24 * 60;
            case "mo" -> 30 * 24 * 60;
            default -> 24 * 60; // d
        };
    }

    /** Encounter classes that are a stay in hospital: a new one is an admission (v3 ActCode). */
    private static final Set<String> INPATIENT_CLASSES = Set.of("IMP", "ACUTE", "NONAC", "EMER", "PRENC");

    static boolean isInpatient(Encounter encounter) {
        return INPATIENT_CLASSES.contains(text(encounter.getClass_().getCode()));
    }

    /**
     * An Encounter as the visit of an admission or a discharge: its id as the visit number, its class, its first
     * location, its period, and hospitalization.dischargeDisposition's code as PV1-36 (FHIR's "exp", expired, is a
     * death by careloop.planning.death-dispositions).
     */
    public CareEvent encounter(EventKind kind, Encounter encounter, Patient subject, Source source) {
        List<String> warnings = new ArrayList<>();
        if (subject == null) {
            warnings.add("Encounter.subject: no Patient could be read");
        }
        Period period = encounter.getPeriod();
        Location place = null;
        if (encounter.hasLocation() && encounter.getLocationFirstRep().getLocation().hasDisplay()) {
            place = new Location().setName(encounter.getLocationFirstRep().getLocation().getDisplay());
            place.setId(encounter.getLocationFirstRep().getLocation().getReferenceElement().getIdPart());
        }
        Visit visit = new Visit(encounter.getIdElement().getIdPart(), text(encounter.getClass_().getCode()),
                location(place), null, period.hasStart() ? period.getStart().toInstant() : null,
                period.hasEnd() ? period.getEnd().toInstant() : null,
                text(encounter.getHospitalization().getDischargeDisposition().getCodingFirstRep().getCode()));
        return new CareEvent(kind, source, subject == null ? unknownPatient() : patient(subject, warnings), null, visit,
                null, null, warnings);
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
