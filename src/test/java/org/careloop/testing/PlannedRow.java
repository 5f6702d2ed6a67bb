package org.careloop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An outbox row as the planning tests compare it: its key, state, due time, language and rendered parameters. */
public record PlannedRow(String key, String state, Instant due, String recipient, String language,
        List<String> parameters, List<String> buttonPayloads, String reason, String patientKey) {

    public static final String COLUMNS = "idempotency_key, state, due_at, recipient, template_language, request_json, "
            + "state_reason, patient_key";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static PlannedRow of(ResultSet row) throws SQLException {
        List<String> parameters = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        try {
            for (JsonNode component : JSON.readTree(row.getString(6)).path("template").path("components")) {
                if ("body".equals(component.path("type").asText())) {
                    component.path("parameters").forEach(p -> parameters.add(p.path("text").asText()));
                } else if ("quick_reply".equals(component.path("sub_type").asText())) {
                    payloads.add(component.path("parameters").path(0).path("payload").asText());
                }
            }
        } catch (java.io.IOException e) {
            throw new SQLException("request_json is not JSON", e);
        }
        return new PlannedRow(row.getString(1), row.getString(2), row.getTimestamp(3).toInstant(), row.getString(4),
                row.getString(5), parameters, payloads, row.getString(7), row.getString(8));
    }
}
