package org.careloop.whatsapp.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** An error the simulator answers with, in the Graph API's shape. */
record CloudApiError(int httpStatus, int code, String message) {

    private static final ObjectMapper JSON = new ObjectMapper();

    String json() {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode body = error.putObject("error");
        body.put("message", "(#" + code + ") " + message);
        body.put("type", code == 190 ? "OAuthException" : "GraphMethodException");
        body.put("code", code);
        body.putObject("error_data").put("messaging_product", "whatsapp").put("details", message);
        body.put("fbtrace_id", UUID.randomUUID().toString().replace("-", "").substring(0, 20));
        return error.toString();
    }
}
