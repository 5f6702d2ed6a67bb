package org.careloop.fhir.sandbox;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON Patch (add, remove, replace, test) applied to a resource's JSON, for the sandbox server's PATCH.
 * A failed "test" or a path that does not exist is a conflict the caller reports.
 */
final class JsonPatch {

    private JsonPatch() {
    }

    static void apply(ObjectNode document, JsonNode operations) {
        if (!operations.isArray()) {
            throw new IllegalArgumentException("a JSON Patch is an array of operations");
        }
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            JsonPointer path = JsonPointer.compile(operation.path("path").asText());
            JsonNode value = operation.get("value");
            switch (op) {
                case "test" -> {
                    if (!document.at(path).equals(value)) {
                        throw new IllegalStateException("test failed at " + path);
                    }
                }
                case "replace" -> {
                    if (document.at(path).isMissingNode()) {
                        throw new IllegalStateException("nothing to replace at " + path);
                    }
                    set(document, path, value, true);
                }
                case "add" -> set(document, path, value, false);
                case "remove" -> remove(document, path);
                default -> throw new IllegalArgumentException("unsupported JSON Patch operation " + op);
            }
        }
    }

    private static void set(ObjectNode document, JsonPointer path, JsonNode value, boolean replace) {
        JsonNode parent = document.at(path.head());
        String last = path.last().getMatchingProperty();
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            if ("-".equals(last)) {
                array.add(value);
            } else if (replace) {
                array.set(Integer.parseInt(last), value);
            } else {
                array.insert(Integer.parseInt(last), value);
            }
        } else {
            throw new IllegalStateException("no object or array at " + path.head());
        }
    }

    private static void remove(ObjectNode document, JsonPointer path) {
        JsonNode parent = document.at(path.head());
        String last = path.last().getMatchingProperty();
        if (parent instanceof ObjectNode object && object.has(last)) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array) {
            array.remove(Integer.parseInt(last));
        } else {
            throw new IllegalStateException("nothing to remove at " + path);
        }
    }
}
