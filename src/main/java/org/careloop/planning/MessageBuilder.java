package org.careloop.planning;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.event.CareEvent;
import org.careloop.event.EventKind;
import org.careloop.whatsapp.api.CloudApiRequests;
import org.careloop.whatsapp.api.TemplateMessage;

/**
 * Writes the outbox messages every journey plans: a mapping's template rendered for the patient (language,
 * parameters, buttons that name their subject, the URL button), keyed (mapping, subject, slot), and due outside
 * quiet hours.
 */
final class MessageBuilder {

    private final MessageRenderer renderer;
    private final Optional<QuietHours> quietHours;
    private final Duration minNotice;

    /** @param minNotice a message shifted by quiet hours is skipped when less than this remains before its moment */
    MessageBuilder(MessageRenderer renderer, Optional<QuietHours> quietHours, Duration minNotice) {
        this.renderer = renderer;
        this.quietHours = quietHours;
        this.minNotice = minNotice;
    }

    Optional<QuietHours> quietHours() {
        return quietHours;
    }

    /**
     * The due time: as wanted, or moved to the end of the quiet hours it falls in, unless that leaves less than the
     * minimum notice before {@code start} (then nothing is sent); a null start has no such limit.
     */
    Optional<Instant> schedule(Instant wanted, Instant start) {
        if (quietHours.isEmpty() || !quietHours.get().isQuiet(wanted)) {
            return Optional.of(wanted);
        }
        Instant shifted = quietHours.get().endOf(wanted);
        boolean tooLate = start != null && Duration.between(shifted, start).compareTo(minNotice) < 0;
        return tooLate ? Optional.empty() : Optional.of(shifted);
    }

    /**
     * @param refreshOnly rewrite what is pending, create nothing
     * @param direct      the mapping answers the event's own kind (not a booking's mapping a change rewrites)
     */
    PlannedMessage message(Mapping mapping, CareEvent event, String subject, String slot, Instant due,
            Instant expires, boolean refreshOnly, boolean direct) {
        String language = MessageRenderer.languageFor(mapping, event.patient().language());
        MessageRenderer.Rendered rendered = renderer.render(mapping, event, language);
        String recipient = event.patient().phone() == null ? "" : event.patient().phone().e164();
        TemplateMessage.UrlButton url = urlButton(mapping, event, language);
        String suppressed = recipient.isEmpty() ? "the patient has no WhatsApp number" : rendered.problem() != null
                ? rendered.problem() : url != null && url.suffix().isEmpty() ? "the URL button's parameter ("
                        + mapping.urlButton().suffix() + ") has no value in this event" : null;
        String request = request(mapping, recipient, subject, language, rendered.values(), url);
        return new PlannedMessage(mapping.id() + "|" + subject + "|" + slot, mapping.id(), subject, slot,
                event.patient().key(), recipient, mapping.template(), language, request, due, expires, suppressed,
                refreshOnly, Shown.by(mapping, event.appointment()),
                !refreshOnly && isMoveNotice(mapping, event, direct), direct ? event.kind() : null, null);
    }

    /** The request of a message already built, rendered again with {result.name} showing no test. */
    String requestNamingNoTest(Mapping mapping, CareEvent event, PlannedMessage message) {
        MessageRenderer.Rendered unnamed = renderer.render(mapping, event, message.language(), Optional.empty());
        return request(mapping, message.recipient(), message.subjectKey(), message.language(), unnamed.values(),
                urlButton(mapping, event, message.language()));
    }

    /** An immediate message a move to a named time triggers: a reschedule notice, one per new time. */
    static boolean isMoveNotice(Mapping mapping, CareEvent event, boolean direct) {
        return mapping.sendsImmediately() && direct && event.kind() == EventKind.APPOINTMENT_RESCHEDULED
                && event.appointment() != null && event.appointment().start() != null;
    }

    /** What the template's URL button appends to its URL, or null when it has none. */
    private TemplateMessage.UrlButton urlButton(Mapping mapping, CareEvent event, String language) {
        return mapping.urlButton() == null ? null : new TemplateMessage.UrlButton(mapping.urlButton().index(),
                renderer.fill(mapping.urlButton().suffix(), event, language).orElse(""));
    }

    private static String request(Mapping mapping, String recipient, String subject, String language,
            List<String> values, TemplateMessage.UrlButton url) {
        List<TemplateMessage.QuickReply> buttons = new ArrayList<>();
        for (int i = 0; i < mapping.buttons().size(); i++) {
            buttons.add(new TemplateMessage.QuickReply(i, mapping.buttons().get(i) + ":" + subject));
        }
        return CloudApiRequests.template(new TemplateMessage(recipient.isEmpty() ? "+0" : recipient,
                mapping.template(), language, List.of(), values.stream().map(TemplateMessage.Parameter::positional)
                        .toList(), buttons, url));
    }
}
