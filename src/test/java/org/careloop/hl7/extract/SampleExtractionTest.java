package org.careloop.hl7.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.careloop.event.Appointment;
import org.careloop.event.AppointmentStatus;
import org.careloop.event.CareEvent;
import org.careloop.event.Coded;
import org.careloop.event.Dosing;
import org.careloop.event.EventKind;
import org.careloop.event.Location;
import org.careloop.event.Order;
import org.careloop.event.Patient;
import org.careloop.event.PatientId;
import org.careloop.event.PersonName;
import org.careloop.event.Phone;
import org.careloop.event.Practitioner;
import org.careloop.event.Source;
import org.careloop.event.Visit;
import org.careloop.hl7.intake.InboundMessage;
import org.careloop.hl7.journal.StoredMessage;
import org.careloop.testing.Samples;
import org.junit.jupiter.api.Test;

/** Every message in samples/hl7 becomes the CareEvent a site engineer would expect, compared field by field. */
class SampleExtractionTest {

    private static final String ZONE = "America/New_York";
    private static final Instant RECEIVED = Instant.parse("2026-11-26T15:00:00Z");
    private static final long JOURNAL_ID = 7;

    private final CareEventExtractor extractor = new CareEventExtractor(ZoneId.of(ZONE), "US",
            SiteCodes.load(Path.of("mappings", "hl7-codes.yaml")), Optional.empty());

    @Test
    void epicStyleV23BookingWithStartInSch11AndDurationInSch9() {
        CareEvent event = extract("epic-siu-s12-v23.hl7");

        assertThat(event.kind()).isEqualTo(EventKind.APPOINTMENT_BOOKED);
        assertThat(event.source()).isEqualTo(new Source("hl7v2", "EPIC", "EPICADT", "100001", "SIU^S12",
                Instant.parse("2026-11-26T14:15:00Z"), RECEIVED, JOURNAL_ID));
        assertThat(event.patient()).isEqualTo(new Patient(
                List.of(new PatientId("E1234567", "EPI", "MR")), new PersonName("DOE", "JANE", "A", ""),
                new Phone("+16175550123", "", "", true), "en", "ENG", false, List.of(), null,
                LocalDate.of(1980, 1, 2)));
        assertThat(event.appointment()).isEqualTo(new Appointment("EPIC", "36996", "29461", "36996",
                Instant.parse("2026-12-14T14:30:00Z"), ZONE, false, Duration.ofMinutes(30),
                new Location("CARD", "", "MERCY", "MERCY CARDIOLOGY CLINIC"),
                new Practitioner("1234", "SMITH", "JOHN", "DR"), new Coded("99213", "OFFICE VISIT EST", "CPT"),
                AppointmentStatus.BOOKED, "Booked"));
        assertThat(event.appointment().key()).isEqualTo("EPIC|36996");
        assertThat(event.visit()).isNull();
        assertThat(event.order()).isNull();
        assertThat(event.warnings()).isEmpty();
    }

    @Test
    void v251BookingTakesTheStartFromTq1WhenSch11Disagrees() {
        CareEvent event = extract("siu-s12-v251-tq1.hl7");

        assertThat(event.source()).isEqualTo(new Source("hl7v2", "CERNER", "MERCY_MAIN", "CRN-5501", "SIU^S12",
                Instant.parse("2026-11-26T15:15:00Z"), RECEIVED, JOURNAL_ID));
        assertThat(event.patient()).isEqualTo(new Patient(
                List.of(new PatientId("MRN-440021", "MERCY", "MR"), new PatientId("999-55-0001", "SSA", "SS")),
                new PersonName("RIVERA", "ANA", "LUCIA", "MS"), new Phone("+16175550142", "PRN", "PH", true),
                "es", "spa^Spanish", false, List.of(), null, LocalDate.of(1975, 11, 20)));
        assertThat(event.appointment()).isEqualTo(new Appointment("CERNER", "77120", "PL-88120", "77120",
                Instant.parse("2026-12-15T19:00:00Z"), ZONE, false, Duration.ofMinutes(45),
                new Location("DERM", "201", "MERCY", "Mercy Dermatology, 2nd floor"),
                new Practitioner("NPI1881", "OKAFOR", "CHIDI", "DR"),
                new Coded("DERMC", "Dermatology consult", "LOCAL"), AppointmentStatus.BOOKED, "Booked^Booked"));
        assertThat(event.warnings()).isEmpty();
    }

    @Test
    void dateOnlySch11TakesTheTimeFromAis4() {
        CareEvent event = extract("siu-s12-date-only-sch11.hl7");

        assertThat(event.appointment()).isEqualTo(new Appointment("EPIC", "37001", "29470", "37001",
                Instant.parse("2026-12-16T15:15:00Z"), ZONE, false, Duration.ofMinutes(15),
                new Location("LAB1", "", "MERCY", "Mercy Outpatient Lab"), null,
                new Coded("LAB", "Blood draw", ""), AppointmentStatus.BOOKED, ""));
        assertThat(event.patient().phone()).isEqualTo(new Phone("+16175550177", "", "", true));
        assertThat(event.patient().name()).isEqualTo(new PersonName("PATEL", "RAVI", "", ""));
    }

    @Test
    void aLocalStatusCodeIsMappedThroughTheSiteCodes() {
        CareEvent event = extract("siu-s14-local-status.hl7");

        assertThat(event.kind()).isEqualTo(EventKind.APPOINTMENT_MODIFIED);
        assertThat(event.appointment()).isEqualTo(new Appointment("CERNER", "77120", "", "77120",
                Instant.parse("2026-12-15T19:00:00Z"), ZONE, false, null, null,
                new Practitioner("NPI2290", "LINDQVIST", "KARIN", "DR"), null, AppointmentStatus.BOOKED,
                "Sch^Scheduled"));
        assertThat(event.warnings()).isEmpty();
    }

    @Test
    void msh93NamingANonexistentStructureIsRoutedOnMsh91And92() {
        CareEvent event = extract("siu-s13-msh93.hl7");

        assertThat(event.kind()).isEqualTo(EventKind.APPOINTMENT_RESCHEDULED);
        assertThat(event.source().messageType()).isEqualTo("SIU^S13");
        assertThat(event.appointment().key()).isEqualTo("EPIC|36996");
        assertThat(event.appointment().start()).isEqualTo(Instant.parse("2026-12-17T20:00:00Z"));
        assertThat(event.appointment().duration()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void theMobileIsChosenAmongSeveralPhoneRepetitions() {
        CareEvent event = extract("siu-s12-multiple-phones.hl7");

        assertThat(event.patient().phone()).isEqualTo(new Phone("+18575550199", "PRN", "CP", true));
        assertThat(event.appointment().duration()).isEqualTo(Duration.ofMinutes(60));
    }

    @Test
    void aFreeTextLanguageIsMappedToItsTag() {
        CareEvent event = extract("siu-s12-free-text-language.hl7");

        assertThat(event.patient().language()).isEqualTo("es");
        assertThat(event.patient().sourceLanguage()).isEqualTo("SPANISH");
        assertThat(event.patient().phone()).isEqualTo(new Phone("+16175550163", "PRN", "CP", true));
    }

    @Test
    void utf8NamesAndPlacesKeepTheirAccents() {
        CareEvent event = extract("siu-s12-utf8-accents.hl7");

        assertThat(event.patient().name()).isEqualTo(new PersonName("NÚÑEZ", "JOSÉ", "MARÍA", ""));
        assertThat(event.patient().phone()).isEqualTo(new Phone("+34612345678", "PRN", "CP", true));
        assertThat(event.appointment().location()).isEqualTo(new Location("CARD", "", "MERCY", "Clínica de Cardiología"));
        assertThat(event.appointment().provider()).isEqualTo(new Practitioner("NPI3301", "MÜLLER", "SØREN", "DR"));
        assertThat(event.appointment().service()).isEqualTo(new Coded("CARD", "Cardiología", ""));
    }

    @Test
    void lineFeedsBetweenSegmentsAreRead() {
        CareEvent event = extract("siu-s12-lf-segments.hl7");

        assertThat(event.appointment()).isEqualTo(new Appointment("EPIC", "37020", "29480", "37020",
                Instant.parse("2026-12-22T19:00:00Z"), ZONE, false, Duration.ofMinutes(30), null, null,
                new Coded("DERM", "Dermatology", ""), AppointmentStatus.BOOKED, ""));
        assertThat(event.patient().name()).isEqualTo(new PersonName("OKONKWO", "ADA", "", ""));
    }

    @Test
    void aDischargeCarriesTheVisit() {
        CareEvent event = extract("adt-a03-discharge.hl7");

        assertThat(event.kind()).isEqualTo(EventKind.PATIENT_DISCHARGED);
        assertThat(event.visit()).isEqualTo(new Visit("V900123", "I", new Location("4WEST", "412", "MERCY", ""),
                new Practitioner("5566", "NGUYEN", "LINH", "DR"), Instant.parse("2026-11-22T23:15:00Z"),
                Instant.parse("2026-11-26T17:10:00Z"), "01"));
        assertThat(event.patient().language()).isEqualTo("en");
        assertThat(event.patient().sourceLanguage()).isEqualTo("eng^English");
        assertThat(event.appointment()).isNull();
    }

    @Test
    void aDemographicsUpdateCarriesTheNewMobile() {
        CareEvent event = extract("adt-a08-update.hl7");

        assertThat(event.kind()).isEqualTo(EventKind.PATIENT_UPDATED);
        assertThat(event.patient().phone()).isEqualTo(new Phone("+16175550145", "PRN", "CP", true));
        assertThat(event.patient().privacyProtected()).isFalse();
        assertThat(event.visit()).isEqualTo(new Visit("", "O", null, null, null, null, ""));
    }

    @Test
    void aMergeNamesThePriorId() {
        CareEvent event = extract("adt-a40-merge.hl7");

        assertThat(event.kind()).isEqualTo(EventKind.PATIENTS_MERGED);
        assertThat(event.patient().ids()).containsExactly(new PatientId("E1234567", "EPI", "MR"));
        assertThat(event.patient().mergedIds()).containsExactly(new PatientId("E9990001", "EPI", "MR"));
    }

    @Test
    void aCancellationIsCancelledWhateverItsStatusField() {
        CareEvent event = extract("siu-s15-cancel-v24.hl7");

        assertThat(event.kind()).isEqualTo(EventKind.APPOINTMENT_CANCELLED);
        assertThat(event.appointment().status()).isEqualTo(AppointmentStatus.CANCELLED);
        assertThat(event.appointment().key()).isEqualTo("CERNER|77120");
        assertThat(event.appointment().start()).isEqualTo(Instant.parse("2026-12-15T19:00:00Z"));
    }

    @Test
    void aNoShowIsANoShowEvenWhenSch25StillSaysBooked() {
        CareEvent event = extract("siu-s26-noshow-v26.hl7");

        assertThat(event.kind()).isEqualTo(EventKind.APPOINTMENT_NO_SHOW);
        assertThat(event.appointment().status()).isEqualTo(AppointmentStatus.NOSHOW);
        assertThat(event.appointment().sourceStatus()).isEqualTo("Booked");
    }

    @Test
    void aResultCarriesItsIdsAndStatusButNotItsValues() {
        CareEvent event = extract("oru-r01-result.hl7");

        assertThat(event.kind()).isEqualTo(EventKind.RESULT_REPORTED);
        Coded lipidPanel = new Coded("24331-1", "Lipid panel", "LN");
        assertThat(event.order()).isEqualTo(new Order("ORD-5511", "LAB-9911", lipidPanel, "F", "",
                List.of(new Order.ReportedTest(lipidPanel, "", "F")), null));
        assertThat(event.patient().ids()).containsExactly(new PatientId("E1234567", "EPI", "MR"));
    }

    @Test
    void anEpicStyleResultWithSeveralObxIsOneReportOfItsVisitAndOrderGroup() {
        CareEvent event = extract("oru-r01-epic-several-obx.hl7");
        CareEvent corrected = extract("oru-r01-epic-corrected.hl7");

        Coded bloodCount = new Coded("58410-2", "CBC panel - Blood by Automated count", "LN");
        assertThat(event.order()).isEqualTo(new Order("ORD-5520", "LAB-9920", bloodCount, "F", "GRP-5520",
                List.of(new Order.ReportedTest(bloodCount, "HM", "F")), null));
        assertThat(event.visit().visitNumber()).isEqualTo("V900200");
        assertThat(event.patient().birthDate()).isEqualTo(LocalDate.of(1980, 1, 2));
        assertThat(corrected.order().tests()).containsExactly(new Order.ReportedTest(bloodCount, "HM", "C"));
        assertThat(event.warnings()).isEmpty();
    }

    @Test
    void aPharmacyOrderCarriesItsIdsAndMedication() {
        CareEvent event = extract("rde-o11-order.hl7");

        assertThat(event.kind()).isEqualTo(EventKind.MEDICATION_ORDERED);
        assertThat(event.order()).isEqualTo(new Order("RX-3001", "RX-3001F",
                new Coded("197361", "Amlodipine 5 MG Oral Tablet", "RXNORM"), "IP", "", List.of(),
                new Dosing("NW", "BID", List.of(), Instant.parse("2026-11-26T05:00:00Z"), null, null)));
    }

    @Test
    void aCernerStyleOrderCarriesItsTq1TimingAndItsDiscontinue() {
        CareEvent order = extract("rde-o11-cerner-tq1.hl7");
        CareEvent discontinue = extract("rde-o11-cerner-discontinue.hl7");

        assertThat(order.order().placerId()).isEqualTo("RX-7001");
        assertThat(order.order().dosing()).isEqualTo(new Dosing("NW", "BID",
                List.of(java.time.LocalTime.of(9, 0), java.time.LocalTime.of(21, 0)),
                Instant.parse("2026-12-01T14:00:00Z"), Instant.parse("2026-12-16T04:59:00Z"), Duration.ofDays(14)));
        assertThat(discontinue.order().dosing().orderControl()).isEqualTo("DC");
        assertThat(order.warnings()).isEmpty();
    }

    @Test
    void aV28RegistrationFindsThePhoneInPid40() {
        CareEvent event = extract("adt-a04-register-v28.hl7");

        assertThat(event.kind()).isEqualTo(EventKind.PATIENT_REGISTERED);
        assertThat(event.patient().phone()).isEqualTo(new Phone("+16175550171", "PRN", "CP", true));
        assertThat(event.patient().language()).isEqualTo("pl");
        assertThat(event.visit()).isEqualTo(new Visit("V900200", "O", new Location("ER", "", "MERCY", ""), null,
                null, null, ""));
    }

    @Test
    void whatCannotBeUsedIsReportedAsWarningsNamingFieldsNotValues() {
        String message = Samples.text("epic-siu-s12-v23.hl7")
                .replace("|6175550123|", "|07700 900123^PRN^CP|")
                .replace("|ENG\r", "|KLINGON\r")
                .replace("|Booked\r", "|Tentative\r");

        CareEvent event = extract(message.getBytes(StandardCharsets.US_ASCII));

        assertThat(event.patient().phone()).isNull();
        assertThat(event.patient().language()).isNull();
        assertThat(event.appointment().status()).isEqualTo(AppointmentStatus.BOOKED);
        assertThat(event.warnings()).containsExactly(
                "PID-13: a PRN CP number is not a valid phone number in region US",
                "PID-15: language 'KLINGON' is not an ISO 639 code or English language name; "
                        + "map it under 'language' in the site codes file",
                "SCH-25: status 'Tentative' is not in table 0278 or the site codes file; read as booked");
        assertThat(String.join(" ", event.warnings())).doesNotContain("900123");
    }

    @Test
    void aMessageThatCannotBecomeAnEventSaysWhy() {
        String noPid = Samples.text("epic-siu-s12-v23.hl7").replaceAll("PID\\|[^\r]*\r", "");

        assertThatThrownBy(() -> extract(noPid.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ExtractionException.class)
                .hasMessage("there is no PID segment");
    }

    @Test
    void theDeathIndicatorOrADeathDateSaysThePatientDied() {
        String a08 = Samples.text("adt-a08-update.hl7");
        String pid = a08.substring(a08.indexOf("\rPID|") + 1, a08.indexOf('\r', a08.indexOf("\rPID|") + 1));
        String[] fields = pid.split("\\|", -1);

        assertThat(extract(Samples.bytes("adt-a08-update.hl7")).patient().deceased()).isNull();
        assertThat(extract(withPid(a08, pid, fields, 30, "Y")).patient().deceased()).isTrue();
        assertThat(extract(withPid(a08, pid, fields, 29, "20261201")).patient().deceased()).isTrue();
        assertThat(extract(withPid(a08, pid, fields, 30, "N")).patient().deceased()).isFalse();
    }

    /** The message with PID-n set, the PID extended as far as needed. */
    private static byte[] withPid(String message, String pid, String[] fields, int field, String value) {
        String[] extended = java.util.Arrays.copyOf(fields, Math.max(fields.length, field + 1));
        for (int i = 0; i < extended.length; i++) {
            extended[i] = extended[i] == null ? "" : extended[i];
        }
        extended[field] = value;
        return message.replace(pid, String.join("|", extended)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void withoutTq16TheDurationIsTq18EndMinusTq17Start() {
        String sample = Samples.text("siu-s12-v251-tq1.hl7").replace("TQ1|1|||||45^min&minutes&ANS+|20261215140000-0500",
                "TQ1|1|||||^min&minutes&ANS+|20261215140000-0500|20261215142500-0500")
                .replace("||20|MIN|", "||||");

        CareEvent event = extract(sample.getBytes(StandardCharsets.UTF_8));

        assertThat(event.appointment().start()).isEqualTo(Instant.parse("2026-12-15T19:00:00Z"));
        assertThat(event.appointment().duration()).isEqualTo(Duration.ofMinutes(25));
    }

    private CareEvent extract(String sample) {
        return extract(Samples.bytes(sample));
    }

    private CareEvent extract(byte[] raw) {
        InboundMessage inbound = InboundMessage.decode(raw, StandardCharsets.UTF_8);
        return extractor.extract(new StoredMessage(JOURNAL_ID, RECEIVED, inbound.header().messageType(),
                inbound.header().triggerEvent(), inbound.charset().name(), raw));
    }
}
