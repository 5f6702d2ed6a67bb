package org.careloop.whatsapp.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One language variant of a template, as approved in WhatsApp Manager.
 *
 * @param language    "en_US", "es"
 * @param status      APPROVED, PENDING, REJECTED, PAUSED, DISABLED...
 * @param header      the header text, or "" when the template has no text header
 * @param body        the body text with {{1}} / {{name}} placeholders
 * @param quickReplies the quick-reply button labels, in order
 * @param urlButton   the URL of its URL button, after the quick replies ("https://portal.example/r/{{1}}": the
 *                    sender gives the suffix), or "" when it has none
 */
public record TemplateDefinition(String name, String category, String language, String status, String header,
        String body, List<String> quickReplies, String urlButton) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    public TemplateDefinition {
        quickReplies = List.copyOf(quickReplies);
        urlButton = urlButton == null ? "" : urlButton;
    }

    /** Whether its URL button ends in a parameter the sender fills. */
    public boolean hasUrlParameter() {
        return !placeholders(urlButton).isEmpty();
    }

    public boolean isApproved() {
        return "APPROVED".equals(status);
    }

    public List<String> headerParameters() {
        return placeholders(header);
    }

    /** The body's placeholders in order: "1", "2"... for positional templates, names for named ones. */
    public List<String> bodyParameters() {
        return placeholders(body);
    }

    private static List<String> placeholders(String text) {
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(text == null ? "" : text);
        while (matcher.find()) {
            if (!names.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }
}
