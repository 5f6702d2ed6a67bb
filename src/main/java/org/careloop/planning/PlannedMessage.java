package org.careloop.planning;

import java.time.Instant;
import org.careloop.event.EventKind;

/**
 * A message the planner wants in the outbox.
 *
 * @param key              "mapping|subject|slot": planning it again updates the same row
 * @param recipient        E.164, or "" when the patient has no WhatsApp number
 * @param expiresAt        after this the message is not worth sending (it becomes EXPIRED)
 * @param suppressedReason why it must not be sent whatever the consent (no number, a parameter without a value),
 *                         else null
 * @param refreshOnly      only rewrite the row if it is still pending; never create it (a reschedule rewriting a
 *                         confirmation that has not gone out yet)
 * @param shown            what the message shows the patient of the appointment
 * @param announcesMove    a notice of a new time: it replaces the mapping's notices for the subject that have not gone
 *                         out, and is not sent when the time is the one the patient was last shown
 * @param answers          the event kind the mapping answered, or null when a booking's message is only rewritten
 * @param note             why a planned message is due when it is (a sensitive result's delay), kept on its row
 */
public record PlannedMessage(String key, String mappingId, String subjectKey, String slot, String patientKey,
        String recipient, String template, String language, String requestJson, Instant dueAt, Instant expiresAt,
        String suppressedReason, boolean refreshOnly, Shown shown, boolean announcesMove, EventKind answers,
        String note) {

    /** This message, never to be sent, for this reason (a result the site does not announce). */
    PlannedMessage suppressedFor(String reason) {
        return new PlannedMessage(key, mappingId, subjectKey, slot, patientKey, recipient, template, language,
                requestJson, dueAt, expiresAt, reason, refreshOnly, shown, announcesMove, answers, note);
    }

    /** This message, with why it is due when it is. */
    PlannedMessage noted(String why) {
        return new PlannedMessage(key, mappingId, subjectKey, slot, patientKey, recipient, template, language,
                requestJson, dueAt, expiresAt, suppressedReason, refreshOnly, shown, announcesMove, answers, why);
    }
}
