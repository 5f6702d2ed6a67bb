package org.careloop.hl7.extract;

import ca.uhn.hl7v2.model.Segment;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.careloop.event.Patient;
import org.careloop.event.PatientId;
import org.careloop.event.PersonName;
import org.careloop.event.Phone;

/** Reads the patient from PID (ids, name, birth date, phone, language), PD1 (protection) and, for merges, MRG. */
final class PatientReader {

    private static final int[] PHONE_FIELDS = {13, 40, 14};

    private final PhoneChooser phones;
    private final LanguageResolver languages;

    PatientReader(PhoneChooser phones, LanguageResolver languages) {
        this.phones = phones;
        this.languages = languages;
    }

    Patient read(Hl7Fields fields, Warnings warnings) {
        Segment pid = fields.segment("PID").orElseThrow(() -> new ExtractionException("there is no PID segment"));
        List<PatientId> ids = ids(pid, 3);
        if (ids.isEmpty()) {
            throw new ExtractionException("PID-3 (patient identifier list) is empty");
        }
        PersonName name = new PersonName(
                Hl7Fields.get(pid, 5, 0, 1, 1), Hl7Fields.get(pid, 5, 0, 2, 1),
                Hl7Fields.get(pid, 5, 0, 3, 1), Hl7Fields.get(pid, 5, 0, 5, 1));
        Phone phone = phone(pid, warnings);
        String languageCode = Hl7Fields.get(pid, 15, 0, 1, 1);
        String languageText = Hl7Fields.get(pid, 15, 0, 2, 1);
        String sourceLanguage = languageText.isEmpty() ? languageCode : languageCode + "^" + languageText;
        Optional<String> language = languages.resolve(languageCode, languageText);
        if (language.isEmpty() && !sourceLanguage.isEmpty()) {
            warnings.add("PID-15: language '" + sourceLanguage + "' is not an ISO 639 code or English language name; "
                    + "map it under 'language' in the site codes file");
        }
        boolean protectedRecord = "Y".equalsIgnoreCase(fields.get("PD1", 12, 1));
        List<PatientId> merged = fields.segment("MRG").map(mrg -> ids(mrg, 1)).orElse(List.of());
        return new Patient(ids, name, phone, language.orElse(null), sourceLanguage, protectedRecord, merged,
                deceased(fields), birthDate(pid, warnings));
    }

    /** PID-7: its first eight digits are the day (feeds add a time of birth, or send the year alone). */
    private static LocalDate birthDate(Segment pid, Warnings warnings) {
        String value = Hl7Fields.get(pid, 7, 0, 1, 1);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(value.substring(0, Math.min(8, value.length())),
                    java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        } catch (RuntimeException invalid) {
            warnings.add("PID-7: the birth date is not a YYYYMMDD date");
            return null;
        }
    }

    /** PID-30 (death indicator) Y or a PID-29 death date: died; PID-30 N: alive (a death recorded in error). */
    private static Boolean deceased(Hl7Fields fields) {
        String indicator = fields.get("PID", 30, 1).trim().toUpperCase(Locale.ROOT);
        if (indicator.equals("Y") || !fields.get("PID", 29, 1).isBlank() && !indicator.equals("N")) {
            return true;
        }
        return indicator.equals("N") || indicator.equals("\"\"") ? false : null;
    }

    /** CX repetitions: 1 id, 4 assigning authority (HD.1), 5 identifier type. */
    private static List<PatientId> ids(Segment segment, int field) {
        List<PatientId> ids = new ArrayList<>();
        for (int rep = 0; rep < Hl7Fields.repetitions(segment, field); rep++) {
            String value = Hl7Fields.get(segment, field, rep, 1, 1);
            if (!value.isEmpty()) {
                ids.add(new PatientId(value, Hl7Fields.get(segment, field, rep, 4, 1),
                        Hl7Fields.get(segment, field, rep, 5, 1)));
            }
        }
        return ids;
    }

    /** PID-13 (home), PID-40 (v2.7+ telecom), PID-14 (business), every repetition, in that order. */
    private Phone phone(Segment pid, Warnings warnings) {
        List<PhoneChooser.Xtn> repetitions = new ArrayList<>();
        for (int field : PHONE_FIELDS) {
            for (int rep = 0; rep < Hl7Fields.repetitions(pid, field); rep++) {
                repetitions.add(new PhoneChooser.Xtn("PID-" + field,
                        Hl7Fields.get(pid, field, rep, 1, 1), Hl7Fields.get(pid, field, rep, 2, 1),
                        Hl7Fields.get(pid, field, rep, 3, 1), Hl7Fields.get(pid, field, rep, 5, 1),
                        Hl7Fields.get(pid, field, rep, 6, 1), Hl7Fields.get(pid, field, rep, 7, 1),
                        Hl7Fields.get(pid, field, rep, 12, 1)));
            }
        }
        Optional<Phone> phone = phones.choose(repetitions, warnings);
        if (phone.isEmpty() && repetitions.stream().allMatch(PhoneChooser.Xtn::isEmailOnly)) {
            warnings.add("PID-13/PID-14/PID-40: no phone number");
        }
        return phone.orElse(null);
    }
}
