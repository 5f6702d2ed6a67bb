package org.careloop.hl7.extract;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.careloop.event.Appointment;
import org.careloop.event.CareEvent;
import org.careloop.event.Order;
import org.careloop.event.Patient;
import org.careloop.event.Source;
import org.careloop.event.Visit;
import org.careloop.hl7.HandledMessage;
import org.careloop.hl7.HandledMessage.Family;
import org.careloop.hl7.journal.StoredMessage;

/**
 * Turns a journaled HL7 v2 message into a {@link CareEvent}.
 *
 * <p>Every version from 2.3 to 2.8 is parsed by HAPI, validation off, into the v2.5.1 structure chosen from
 * MSH-9.1/9.2: the fields CareLoop reads sit at the same positions in all of them, and fields a later version added
 * (PID-40) are kept as extra fields. Segment ends are normalised to CR first, since some feeds send LF.
 * Thread-safe: the HAPI parser is shared, messages are not.
 */
public final class CareEventExtractor {

    /**
     * One parser per thread: a PipeParser caches the structure definitions it builds on first use of each message
     * structure in plain HashMaps, and a definition fills its own sets lazily while parsing
     * (StructureDefinition.getNamesOfAllPossibleFollowingLeaves). Two threads parsing their first messages of one
     * structure at once (the journal's stage after a restart with a backlog) threw ConcurrentModificationException
     * and failed a good message.
     */
    private final ThreadLocal<PipeParser> parsers;
    private final ZoneId siteZone;
    private final PatientReader patients;
    private final AppointmentReader appointments;
    private final VisitReader visits;
    private final DosingReader dosing;
    private final Optional<ConsentField> consentField;

    public CareEventExtractor(ZoneId siteZone, String phoneRegion, SiteCodes siteCodes,
            Optional<ConsentField> consentField) {
        HapiContext hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.getParserConfiguration().setValidating(false);
        this.parsers = ThreadLocal.withInitial(() -> new PipeParser(hapi));
        this.siteZone = siteZone;
        this.patients = new PatientReader(new PhoneChooser(phoneRegion), new LanguageResolver(siteCodes.language()));
        this.appointments = new AppointmentReader(siteZone, new AppointmentStatusMap(siteCodes.appointmentStatus()));
        this.visits = new VisitReader(siteZone);
        this.dosing = new DosingReader(siteZone);
        this.consentField = consentField;
    }

    /** @throws ExtractionException when the message cannot become an event, saying why */
    public CareEvent extract(StoredMessage stored) {
        HandledMessage type = HandledMessage.of(stored.messageType(), stored.triggerEvent())
                .orElseThrow(() -> new ExtractionException(
                        stored.messageType() + "^" + stored.triggerEvent() + " is not a message type CareLoop handles"));
        Message message = parse(stored.text(), type);
        Hl7Fields fields = new Hl7Fields(message);
        Warnings warnings = new Warnings();
        Source source = source(fields, stored);
        Patient patient = patients.read(fields, warnings);
        Family family = type.family();
        Appointment appointment = family == Family.SCHEDULING
                ? appointments.read(fields, fields.get("MSH", 3, 1), type, warnings) : null;
        // a result's visit (PV1-19) groups the reports of one visit into one notice
        Visit visit = family == Family.ADMISSION || family == Family.RESULTS ? visits.read(fields, warnings) : null;
        Order order = family == Family.RESULTS || family == Family.PHARMACY
                ? OrderReader.read(fields, family, dosing, warnings) : null;
        if (family == Family.MERGE && patient.mergedIds().isEmpty()) {
            throw new ExtractionException("MRG-1 (prior patient identifier) is empty");
        }
        return new CareEvent(type.kind(), source, patient, appointment, visit, order,
                consentField.flatMap(f -> f.read(fields)).orElse(null), List.copyOf(warnings.list()));
    }

    private Message parse(String text, HandledMessage type) {
        Message message = type.newStructure();
        message.setParser(parsers.get());
        try {
            message.parse(text.replace("\r\n", "\r").replace('\n', '\r'));
            return message;
        } catch (HL7Exception | RuntimeException e) {
            throw new ExtractionException("HAPI could not parse the message: " + e.getClass().getSimpleName(), e);
        }
    }

    private Source source(Hl7Fields fields, StoredMessage stored) {
        Instant messageTime = Hl7Time.parse(fields.get("MSH", 7, 1), siteZone).map(Hl7Time.Moment::instant)
                .orElse(null);
        return new Source(Source.HL7V2, fields.get("MSH", 3, 1), fields.get("MSH", 4, 1), fields.get("MSH", 10, 1),
                stored.messageType() + "^" + stored.triggerEvent(), messageTime, stored.receivedAt(),
                stored.journalId());
    }
}
