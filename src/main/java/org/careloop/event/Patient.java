package org.careloop.event;

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
 */
public record Patient(
        List<PatientId> ids,
        PersonName name,
        Phone phone,
        String language,
        String sourceLanguage,
        boolean privacyProtected,
        List<PatientId> mergedIds) {

    public Patient {
        ids = List.copyOf(ids);
        mergedIds = List.copyOf(mergedIds);
    }

    /** The first id, "authority|value": the key CareLoop files the patient's events, consent and messages under. */
    public String key() {
        return ids.isEmpty() ? null : ids.get(0).key();
    }
}
