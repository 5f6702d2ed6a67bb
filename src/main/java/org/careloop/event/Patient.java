package org.careloop.event;

import java.time.LocalDate;
import java.util.List;

/**
 * The patient as the source knows them.
 *
 * @param ids              PID-3 (or Patient.identifier), in the source's order
 * @param phone            the number to reach them on WhatsApp, or null when the source has none usable
 * @param language         a BCP-47 tag ("es", "pt-BR"), or null when the source has none CareLoop can map
 * @param sourceLanguage   the language as sent, for operators mapping new codes
 * @param privacyProtected the source asks to protect this patient's data (PD1-12 = Y)
 * @param mergedIds        for a merge, the ids that now mean this patient (MRG-1)
 * @param deceased         true when the source says the patient has died (PID-30 Y or a PID-29 date, a FHIR
 *                         Patient's deceased[x]), false when it says they have not (PID-30 N: a death recorded in
 *                         error), null when it says nothing
 * @param birthDate        PID-7 (Patient.birthDate), or null when not sent: results are not announced to minors
 */
public record Patient(
        List<PatientId> ids,
        PersonName name,
        Phone phone,
        String language,
        String sourceLanguage,
        boolean privacyProtected,
        List<PatientId> mergedIds,
        Boolean deceased,
        LocalDate birthDate) {

    public Patient {
        ids = List.copyOf(ids);
        mergedIds = List.copyOf(mergedIds);
    }

    /**
     * This patient as a later update tells it: its name, number and language where it gives them, these where it
     * says nothing (an A08 without PID-15 keeps the language known).
     */
    public Patient updatedBy(Patient later) {
        boolean named = !later.name().family().isEmpty() || !later.name().given().isEmpty();
        return new Patient(ids, named ? later.name() : name, later.phone() != null ? later.phone() : phone,
                later.language() != null ? later.language() : language,
                later.language() != null ? later.sourceLanguage() : sourceLanguage, later.privacyProtected(),
                mergedIds, later.deceased() != null ? later.deceased() : deceased,
                later.birthDate() != null ? later.birthDate() : birthDate);
    }

    /** The first id, "authority|value": the key CareLoop files the patient's events, consent and messages under. */
    public String key() {
        return ids.isEmpty() ? null : ids.get(0).key();
    }
}
