package org.careloop.whatsapp.api;

import java.util.List;

/**
 * A pre-approved template filled in for one patient.
 *
 * @param to           the recipient in E.164
 * @param languageCode the template language as approved ("en_US", "es")
 * @param header       header text parameters, in order (empty when the header has none)
 * @param body         body parameters, in order; named when the template uses named parameters
 * @param quickReplies the payload each quick-reply button sends back when tapped, by button index
 * @param urlButton    the suffix of the template's URL button, or null when it has none
 */
public record TemplateMessage(String to, String name, String languageCode, List<Parameter> header,
        List<Parameter> body, List<QuickReply> quickReplies, UrlButton urlButton) {

    public TemplateMessage {
        header = List.copyOf(header);
        body = List.copyOf(body);
        quickReplies = List.copyOf(quickReplies);
    }

    /** A template without a URL button. */
    public TemplateMessage(String to, String name, String languageCode, List<Parameter> header, List<Parameter> body,
            List<QuickReply> quickReplies) {
        this(to, name, languageCode, header, body, quickReplies, null);
    }

    /** The text the URL button at {@code index} appends to the template's URL (a portal link to the results). */
    public record UrlButton(int index, String suffix) {
    }

    /** A text parameter; {@code name} is null for positional ({{1}}) parameters. */
    public record Parameter(String name, String text) {

        public static Parameter positional(String text) {
            return new Parameter(null, text);
        }

        public static Parameter named(String name, String text) {
            return new Parameter(name, text);
        }
    }

    /** The payload of the quick-reply button at {@code index} (0-based, as the template defines the buttons). */
    public record QuickReply(int index, String payload) {
    }
}
