package org.careloop.whatsapp.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Writes messages as the Graph API's {@code /messages} request bodies. Template languages use the
 * {@code deterministic} policy: the patient gets the language asked for or nothing, never a silent fallback.
 */
public final class CloudApiRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudApiRequests() {
    }

    public static String template(TemplateMessage message) {
        ObjectNode request = envelope(message.to(), "template");
        ObjectNode template = request.putObject("template");
        template.put("name", message.name());
        template.putObject("language").put("code", message.languageCode()).put("policy", "deterministic");
        ArrayNode components = template.putArray("components");
        addTextComponent(components, "header", message.header());
        addTextComponent(components, "body", message.body());
        if (message.urlButton() != null) {
            addButton(components, "url", message.urlButton().index(), "text", message.urlButton().suffix());
        }
        for (TemplateMessage.QuickReply reply : message.quickReplies()) {
            addButton(components, "quick_reply", reply.index(), "payload", reply.payload());
        }
        return request.toString();
    }

    /** A button component: its sub_type, its index among the template's buttons, and its one parameter. */
    private static void addButton(ArrayNode components, String subType, int index, String parameterType,
            String value) {
        components.addObject().put("type", "button").put("sub_type", subType).put("index", String.valueOf(index))
                .putArray("parameters").addObject().put("type", parameterType).put(parameterType, value);
    }

    /** Free-form text: only allowed inside the 24 h window that a patient's own message opens. */
    public static String text(String to, String body) {
        ObjectNode request = envelope(to, "text");
        request.putObject("text").put("preview_url", false).put("body", body);
        return request.toString();
    }

    /** A reply button: what the tap sends back ({@code id}, at most 256 characters) and its title (at most 20). */
    public record ReplyButton(String id, String title) {
    }

    /** Text with up to three reply buttons: free-form, so only inside the 24 h window, like {@link #text}. */
    public static String buttons(String to, String body, List<ReplyButton> buttons) {
        ObjectNode request = envelope(to, "interactive");
        ObjectNode interactive = request.putObject("interactive").put("type", "button");
        interactive.putObject("body").put("text", body);
        ArrayNode list = interactive.putObject("action").putArray("buttons");
        for (ReplyButton button : buttons) {
            list.addObject().put("type", "reply").putObject("reply").put("id", button.id()).put("title", button.title());
        }
        return request.toString();
    }

    /** The stored request with {@code biz_opaque_callback_data} set, so statuses name our outbound row. */
    public static String withCallbackData(String requestJson, String callbackData) {
        return edited(requestJson, request -> request.put("biz_opaque_callback_data", callbackData));
    }

    /** The stored request addressed to another number. */
    public static String withRecipient(String requestJson, String to) {
        return edited(requestJson, request -> request.put("to", to.startsWith("+") ? to.substring(1) : to));
    }

    private static String edited(String requestJson, java.util.function.Consumer<ObjectNode> edit) {
        try {
            ObjectNode request = (ObjectNode) JSON.readTree(requestJson);
            edit.accept(request);
            return request.toString();
        } catch (java.io.IOException | ClassCastException e) {
            throw new IllegalArgumentException("a stored WhatsApp request is not a JSON object", e);
        }
    }

    private static ObjectNode envelope(String to, String type) {
        ObjectNode request = JSON.createObjectNode();
        request.put("messaging_product", "whatsapp");
        request.put("recipient_type", "individual");
        request.put("to", to.startsWith("+") ? to.substring(1) : to);
        request.put("type", type);
        return request;
    }

    private static void addTextComponent(ArrayNode components, String type, List<TemplateMessage.Parameter> params) {
        if (params.isEmpty()) {
            return;
        }
        ArrayNode parameters = components.addObject().put("type", type).putArray("parameters");
        for (TemplateMessage.Parameter parameter : params) {
            ObjectNode p = parameters.addObject().put("type", "text").put("text", parameter.text());
            if (parameter.name() != null) {
                p.put("parameter_name", parameter.name());
            }
        }
    }
}
