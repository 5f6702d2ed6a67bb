package org.careloop.fhir.writeback;

import java.time.Instant;

/** A row of fhir_writeback: what one reply asks of the FHIR server. */
public record WritebackJob(long id, String replyWamid, String action, String subjectKey, String patientKey,
        String detail, int attempts, Instant createdAt) {
}
