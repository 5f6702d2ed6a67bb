package org.careloop.replies;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.careloop.consent.OptOutWords;
import org.careloop.event.CareEvent;
import org.careloop.event.PhoneNumbers;
import org.careloop.fhir.writeback.WritebackJobs;
import org.careloop.planning.MedicationOrders;
import org.careloop.planning.MessageRenderer;
import org.careloop.planning.Shown;
import org.careloop.queue.QueueTransaction;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.careloop.whatsapp.api.CloudApiRequests;
import org.careloop.whatsapp.outbox.Outbox;
import org.careloop.whatsapp.outbox.PendingMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a patient's stored message into what it asks for, as the {@code patient-replies} queue hands it on (a
 * sender's replies one at a time, in order), in the queue entry's transaction:
 *
 * <ul>
 *   <li>correlation: a reply's {@code context.id} names our message, hence the appointment and the patient; a reply
 *       without context goes with the sender's most recent message within the correlation window when all of those
 *       are about one appointment, and to the staff queue otherwise (CareLoop never guesses);</li>
 *   <li>CONFIRM, CANCEL and RESCHEDULE are judged against the appointment as it now is and what the answered
 *       message showed ({@link AppointmentJudge}): a Confirm of an out-of-date message asks again, a reply about a
 *       cancelled, missed or past appointment writes nothing and says why;</li>
 *   <li>otherwise they become write-back jobs for the FHIR server (a CANCEL also cancels every
 *       message still planned for the appointment, at once; a RESCHEDULE also goes to staff); free text goes to
 *       staff and, as a Communication, to the FHIR server; review actions (a check-in answered "worse") and free
 *       text with red-flag words go to a clinician ({@link StaffQueue#addClinicalReview}: the staff queue, a Task or
 *       Flag, the subject's check-ins paused); a medication reminder's Taken, Skip, Problem and Stop are
 *       {@link MedicationAnswers}; STOP was applied to consent when the webhook was stored;</li>
 *   <li>an acknowledgement in the patient's language, as free text inside the 24 h window the reply opened.</li>
 * </ul>
 */
public final class ReplyProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyProcessor.class);
    private static final List<String> WRITTEN_BACK = List.of("CONFIRM", "CANCEL", "RESCHEDULE");

    private record Reply(String wamid, String from, String type, String contextWamid, String payload, String text,
            long webhookId) {
    }

    /** Our message a reply answers, and what it showed of the appointment. */
    private record Answered(String subjectKey, String patientKey, String language, Shown shown) {
    }

    private static final String ANSWERED_COLUMNS = "subject_key, patient_key, template_language, shown_start, "
            + "shown_place, shown_clinician";

    private final ReplyRules rules;
    private final MessageRenderer renderer;
    private final OptOutWords optOutWords;
    private final Duration correlationWindow;
    private final boolean adherenceWriteback;
    private final Clock clock;

    /**
     * @param adherenceWriteback a medication reminder's Taken and Skip are written back as MedicationStatements
     */
    public ReplyProcessor(ReplyRules rules, MessageRenderer renderer, OptOutWords optOutWords,
            Duration correlationWindow, boolean adherenceWriteback, Clock clock) {
        this.rules = rules;
        this.adherenceWriteback = adherenceWriteback;
        this.renderer = renderer;
        this.optOutWords = optOutWords;
        this.correlationWindow = correlationWindow;
        this.clock = clock;
    }

    /**
     * Handles the stored reply the queue entry names (its wamid), in the entry's transaction. A reply already handled
     * (an entry put back by an operator after all) is left as it is.
     */
    public void handle(Exchange exchange) throws SQLException {
        Connection connection = QueueTransaction.connection(exchange);
        QueueTransaction.signalOnCommit(exchange, Outbox.DUE_SIGNAL); // an acknowledgement goes out without a poll
        QueueTransaction.signalOnCommit(exchange, WritebackJobs.QUEUE); // and a write-back starts at once
        Optional<Reply> reply = Reads.first(connection, "SELECT wamid, from_wa_id, message_type, context_wamid, "
                + "reply_payload, reply_text, webhook_id FROM wa_inbound_message WHERE wamid = ? AND state = 'NEW'",
                row -> new Reply(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getString(6), row.getLong(7)), exchange.getIn().getBody(String.class));
        if (reply.isPresent()) {
            handle(connection, reply.get(), clock.instant());
            Writes.update(connection, "UPDATE wa_inbound_message SET state = 'HANDLED' WHERE wamid = ?",
                    reply.get().wamid());
        }
    }

    private void handle(Connection connection, Reply reply, Instant now) throws SQLException {
        String phone = "+" + reply.from();
        Optional<String> mismatch = mismatchedSender(connection, reply, phone);
        if (mismatch.isPresent()) {
            // nothing is written, cancelled or answered: staff see it (an opt-out word or a STOP button from this
            // number opted out only this number, when the webhook was stored)
            LOG.info("A reply (webhook {}) names a message or an appointment of another number: to staff",
                    reply.webhookId());
            queue(connection, "MISMATCHED_SENDER", reply, phone, null, null, mismatch.get(), now);
            return;
        }
        Optional<Answered> answered = answered(connection, reply, phone, now);
        String action = action(reply);
        String subject = subjectOf(reply).or(() -> answered.map(Answered::subjectKey)).orElse(null);
        String patient = answered.map(Answered::patientKey).orElse(null);
        String language = answered.isPresent() ? answered.get().language() : lastLanguage(connection, phone);
        CareEvent current = null;
        if (WRITTEN_BACK.contains(action)) {
            if (subject == null) {
                queue(connection, "AMBIGUOUS_REPLY", reply, phone, patient, null, reply.text(), now);
                return;
            }
            AppointmentJudge.Judgement judged = AppointmentJudge.judge(connection, subject, action,
                    answered.map(Answered::shown).orElse(null), now);
            current = judged.current();
            if (judged.verdict() == AppointmentJudge.Verdict.CLOSED) {
                closed(connection, reply, phone, action, judged, subject, patient, language, now);
                return;
            }
            if (judged.verdict() == AppointmentJudge.Verdict.ASK_AGAIN) {
                LOG.info("A Confirm (webhook {}) answers a message out of date ({} changed since): the patient is "
                        + "asked about the appointment as it now is", reply.webhookId(), judged.changes());
                askAgain(connection, reply, phone, subject, patient, language, current, now);
                return;
            }
            writeBack(connection, reply, action, subject, patient, null, now);
            if ("CANCEL".equals(action)) {
                PendingMessages.cancelForSubject(connection, subject, List.of(), "the patient cancelled by WhatsApp",
                        now);
            } else if ("RESCHEDULE".equals(action)) {
                queue(connection, "RESCHEDULE_REQUEST", reply, phone, patient, subject, reply.text(), now);
            }
        } else if ("MESSAGE".equals(action)) {
            if (rules.raisesRedFlag(reply.text())) {
                LOG.info("A message (webhook {}) holds red-flag words: to clinical review", reply.webhookId());
                StaffQueue.addClinicalReview(connection, reply.wamid(), phone, patient, subject, reply.text(),
                        "The patient's WhatsApp message holds words the site flags for a clinician: "
                                + reply.text(), now);
            } else {
                queue(connection, messageKind(reply, answered.isPresent()), reply, phone, patient, subject,
                        reply.text(), now);
            }
            writeBack(connection, reply, action, subject, patient, reply.text(), now);
        } else if (reply.type().startsWith("unsupported:")) {
            queue(connection, "UNSUPPORTED_MESSAGE", reply, phone, patient, subject, reply.type(), now);
            return;
        } else if (MedicationAnswers.ACTIONS.contains(action) && subject != null
                && subject.startsWith(MedicationOrders.SUBJECT_PREFIX)) {
            MedicationAnswers.answer(connection, reply.wamid(), reply.contextWamid(), phone, patient, subject, action,
                    adherenceWriteback, now);
        } else if (rules.reviewActions().contains(action)) {
            StaffQueue.addClinicalReview(connection, reply.wamid(), phone, patient, subject, action,
                    "The patient answered '" + reply.text() + "' (" + action + ") by WhatsApp to " + subject, now);
        }
        acknowledge(connection, reply, phone, action, language, current, now);
    }

    /**
     * A reply about an appointment that was cancelled, missed or has passed writes nothing and gets the answer for
     * why; a request for another time still goes to staff, who call the patient.
     */
    private void closed(Connection connection, Reply reply, String phone, String action,
            AppointmentJudge.Judgement judged, String subject, String patient, String language, Instant now)
            throws SQLException {
        LOG.info("A {} (webhook {}) is about an appointment that is {}: nothing written", action, reply.webhookId(),
                judged.closed().name().toLowerCase(Locale.ROOT));
        if ("RESCHEDULE".equals(action)) {
            queue(connection, "RESCHEDULE_REQUEST", reply, phone, patient, subject, reply.text(), now);
            acknowledge(connection, reply, phone, action, language, judged.current(), now);
            return;
        }
        Optional<String> text = rules.closed(judged.closed(), language)
                .flatMap(t -> renderer.fill(t, judged.current(), languageOrEnglish(language)));
        if (text.isPresent()) {
            answerInWindow(connection, "ack|" + reply.wamid(), phone, CloudApiRequests.text(phone, text.get()), now,
                    null);
        }
    }

    /**
     * A Confirm of an out-of-date message: the patient is asked about the appointment as it now is, with reply
     * buttons (allowed inside the window the reply opened). The question is about this subject and shows its time and
     * place, so its own Confirm confirms what it names.
     */
    private void askAgain(Connection connection, Reply reply, String phone, String subject, String patient,
            String language, CareEvent current, Instant now) throws SQLException {
        Optional<ReplyRules.Question> question = rules.changed(language);
        Optional<String> body = question.flatMap(q -> renderer.fill(q.text(), current, languageOrEnglish(language)));
        if (body.isEmpty()) {
            queue(connection, "AMBIGUOUS_REPLY", reply, phone, patient, subject, "a Confirm of an out-of-date "
                    + "message, and no question configured to ask again", now);
            return;
        }
        List<CloudApiRequests.ReplyButton> buttons = List.of(
                new CloudApiRequests.ReplyButton("CONFIRM:" + subject, question.get().buttonTitles().get(0)),
                new CloudApiRequests.ReplyButton("CANCEL:" + subject, question.get().buttonTitles().get(1)),
                new CloudApiRequests.ReplyButton("RESCHEDULE:" + subject, question.get().buttonTitles().get(2)));
        answerInWindow(connection, "ask|" + reply.wamid(), phone, CloudApiRequests.buttons(phone, body.get(), buttons),
                now, new AskedAbout(subject, patient, language, Shown.timeAndPlace(current.appointment())));
    }

    /** What an answer that asks again is about, so that a tap on it is judged against what it showed. */
    private record AskedAbout(String subject, String patient, String language, Shown shown) {
    }

    /**
     * Why the reply must not act, when it comes from another number than the one its context's message went to, or
     * names (in a button's payload) an appointment never messaged to this number.
     */
    private static Optional<String> mismatchedSender(Connection connection, Reply reply, String phone)
            throws SQLException {
        if (reply.contextWamid() != null) {
            Optional<String> sentTo = Reads.first(connection, "SELECT recipient FROM wa_outbound WHERE wamid = ?",
                    row -> row.getString(1), reply.contextWamid());
            if (sentTo.isPresent() && !sentTo.get().equals(phone)) {
                return Optional.of("the reply answers a message sent to another number ("
                        + PhoneNumbers.masked(sentTo.get()) + ")");
            }
        }
        Optional<String> named = subjectOf(reply);
        if (named.isPresent() && Reads.first(connection, "SELECT 1 FROM wa_outbound WHERE subject_key = ? "
                + "AND recipient = ?", row -> true, named.get(), phone).isEmpty()) {
            return Optional.of("the reply names an appointment never messaged to this number");
        }
        return Optional.empty();
    }

    /** Our message the reply answers: named by its context, else the only appointment messaged recently. */
    private Optional<Answered> answered(Connection connection, Reply reply, String phone, Instant now)
            throws SQLException {
        if (reply.contextWamid() != null) {
            Optional<Answered> named = Reads.first(connection, "SELECT " + ANSWERED_COLUMNS
                    + " FROM wa_outbound WHERE wamid = ?", ReplyProcessor::answered, reply.contextWamid());
            if (named.isPresent()) {
                return named;
            }
        }
        List<Answered> recent = Reads.list(connection, "SELECT " + ANSWERED_COLUMNS + " FROM "
                + "wa_outbound WHERE recipient = ? AND business_initiated AND subject_key IS NOT NULL AND sent_at >= ? "
                + "AND state IN ('SENT', 'DELIVERED', 'READ') ORDER BY sent_at DESC", ReplyProcessor::answered, phone,
                Timestamp.from(now.minus(correlationWindow)));
        boolean oneSubject = !recent.isEmpty()
                && recent.stream().map(Answered::subjectKey).distinct().count() == 1;
        return oneSubject ? Optional.of(recent.get(0)) : Optional.empty();
    }

    private String action(Reply reply) {
        if (reply.payload() != null && !reply.payload().isBlank()) {
            String payload = reply.payload();
            return (payload.contains(":") ? payload.substring(0, payload.indexOf(':')) : payload).toUpperCase();
        }
        if ("text".equals(reply.type())) {
            return optOutWords.isOptOut(reply.text()) ? "STOP" : "MESSAGE";
        }
        return "NONE";
    }

    /** Where typed words go in the staff queue: words that may mean "stop" (or may answer us) for staff to decide. */
    private String messageKind(Reply reply, boolean answered) {
        if (optOutWords.read(reply.text()) == OptOutWords.Reading.PROBABLE_OPT_OUT) {
            return "PROBABLE_OPT_OUT";
        }
        return answered || reply.contextWamid() == null ? "FREE_TEXT" : "AMBIGUOUS_REPLY";
    }

    /** The subject our button put in its payload ("CONFIRM:appointment:EPIC|36996"). */
    private static Optional<String> subjectOf(Reply reply) {
        String payload = reply.payload();
        return payload == null || !payload.contains(":") ? Optional.empty()
                : Optional.of(payload.substring(payload.indexOf(':') + 1));
    }

    private static void writeBack(Connection connection, Reply reply, String action, String subject, String patient,
            String detail, Instant now) throws SQLException {
        WritebackJobs.add(connection, reply.wamid(), action, subject, patient, detail, now);
    }

    private static void queue(Connection connection, String kind, Reply reply, String phone, String patient,
            String subject, String text, Instant now) throws SQLException {
        StaffQueue.add(connection, kind, reply.wamid(), phone, patient, subject, text, now);
    }

    /** The language of the last template sent to this number, for a reply that answers none of ours in particular. */
    private static String lastLanguage(Connection connection, String phone) throws SQLException {
        return Reads.first(connection, "SELECT template_language FROM wa_outbound WHERE recipient = ? AND "
                + "template_language IS NOT NULL ORDER BY id DESC", row -> row.getString(1), phone)
                .orElse(null);
    }

    /**
     * A short text back, inside the window the reply opened, naming the appointment as it now is where the text
     * does. The opt-out is confirmed once: a second STOP before the number opts in again gets no second confirmation.
     */
    private void acknowledge(Connection connection, Reply reply, String phone, String action, String language,
            CareEvent current, Instant now) throws SQLException {
        Optional<String> text = rules.acknowledgement(action, language)
                .flatMap(t -> renderer.fill(t, current, languageOrEnglish(language)));
        if (text.isEmpty()) {
            return;
        }
        String key = "STOP".equals(action) ? "opt-out|" + phone + "|" + Reads.first(connection, "SELECT MAX(id) FROM "
                + "consent_audit WHERE phone = ? AND status = 'OPT_IN'", row -> row.getLong(1), phone).orElse(0L)
                : "ack|" + reply.wamid();
        answerInWindow(connection, key, phone, CloudApiRequests.text(phone, text.get()), now, null);
    }

    /** Plans an answer to the patient (see {@link PendingMessages#answer}); {@code question}: what it asks about. */
    private static void answerInWindow(Connection connection, String key, String phone, String requestJson,
            Instant now, AskedAbout question) throws SQLException {
        if (question == null) {
            PendingMessages.answer(connection, key, phone, "text", requestJson, null, null, null, null, null, now);
        } else {
            PendingMessages.answer(connection, key, phone, "interactive", requestJson, question.subject(),
                    question.patient(), question.language(), question.shown().start(), question.shown().place(), now);
        }
    }

    private static Answered answered(ResultSet row) throws SQLException {
        Timestamp start = row.getTimestamp(4);
        return new Answered(row.getString(1), row.getString(2), row.getString(3),
                new Shown(start == null ? null : start.toInstant(), row.getString(5), row.getString(6)));
    }

    private static String languageOrEnglish(String language) {
        return language == null ? "en" : language;
    }
}
