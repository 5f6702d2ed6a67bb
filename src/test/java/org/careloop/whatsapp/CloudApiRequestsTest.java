package org.careloop.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.careloop.whatsapp.api.CloudApiRequests;
import org.careloop.whatsapp.api.ErrorClass;
import org.careloop.whatsapp.api.TemplateMessage;
import org.careloop.whatsapp.api.TemplateMessage.Parameter;
import org.junit.jupiter.api.Test;

/** The request bodies the Graph API expects, and the error classes DOMAIN.md lists, code by code. */
class CloudApiRequestsTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void namedParametersCarryTheirNamesAndHeadersTheirOwnComponent() throws Exception {
        JsonNode request = json.readTree(CloudApiRequests.template(new TemplateMessage("+34612345678",
                "results_ready", "es", List.of(Parameter.positional("Clínica Sur")),
                List.of(Parameter.named("first_name", "José")), List.of())));

        assertThat(request.path("to").asText()).isEqualTo("34612345678");
        assertThat(request.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(request.path("recipient_type").asText()).isEqualTo("individual");
        JsonNode components = request.path("template").path("components");
        assertThat(components.path(0).path("type").asText()).isEqualTo("header");
        assertThat(components.path(0).path("parameters").path(0).path("text").asText()).isEqualTo("Clínica Sur");
        assertThat(components.path(0).path("parameters").path(0).has("parameter_name")).isFalse();
        assertThat(components.path(1).path("type").asText()).isEqualTo("body");
        assertThat(components.path(1).path("parameters").path(0).path("parameter_name").asText())
                .isEqualTo("first_name");
        assertThat(components.path(1).path("parameters").path(0).path("text").asText()).isEqualTo("José");
    }

    @Test
    void freeFormTextIsPlainTextWithoutPreview() throws Exception {
        JsonNode request = json.readTree(CloudApiRequests.text("+16175550123", "Gracias"));

        assertThat(request.path("type").asText()).isEqualTo("text");
        assertThat(request.path("text").path("body").asText()).isEqualTo("Gracias");
        assertThat(request.path("text").path("preview_url").asBoolean()).isFalse();
    }

    @Test
    void errorsAreClassifiedByCodeAsDomainMdLists() {
        for (int code : new int[] {1, 2, 4, 80007, 130429, 131000, 131016, 131057, 133004}) {
            assertThat(ErrorClass.of(code)).as("code %d", code).isEqualTo(ErrorClass.RETRY);
        }
        assertThat(ErrorClass.of(131056)).isEqualTo(ErrorClass.RECIPIENT_BACKOFF);
        for (int code : new int[] {131026, 131050, 131021}) {
            assertThat(ErrorClass.of(code)).as("code %d", code).isEqualTo(ErrorClass.RECIPIENT_UNREACHABLE);
        }
        for (int code : new int[] {100, 131008, 131009, 132000, 132001, 132005, 132007, 132012, 132015, 132016}) {
            assertThat(ErrorClass.of(code)).as("code %d", code).isEqualTo(ErrorClass.TEMPLATE_REJECTED);
        }
        for (int code : new int[] {0, 10, 190, 200, 250, 299, 368, 131031, 133010}) {
            assertThat(ErrorClass.of(code)).as("code %d", code).isEqualTo(ErrorClass.STOP_ALL);
        }
        assertThat(ErrorClass.of(131047)).isEqualTo(ErrorClass.OUTSIDE_WINDOW);
        assertThat(ErrorClass.of(131049)).isEqualTo(ErrorClass.MESSAGE_FAILED);
    }
}
