package org.careloop.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.careloop.whatsapp.outbox.OutboxEndpoint;
import org.careloop.whatsapp.outbox.OutboxEndpointConfigurer;
import org.careloop.whatsapp.outbox.OutcomeUnknown;
import org.careloop.whatsapp.outbox.SendingGate;
import org.junit.jupiter.api.Test;

/**
 * What tooling and Camel know of careloop-outbox without CareLoop running: the generated component JSON (options,
 * defaults, the consumer-only endpoint) and the generated configurer, which reads the YAML's text values.
 */
class OutboxComponentMetadataTest {

    @Test
    void theComponentJsonDescribesEveryOptionWithItsDefault() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            JsonNode json = new ObjectMapper().readTree(camel.getComponentParameterJsonSchema("careloop-outbox"));

            assertThat(json.path("component").path("consumerOnly").asBoolean()).isTrue();
            JsonNode options = json.path("properties");
            assertThat(options.path("name").path("enum").toString()).isEqualTo("[\"due\"]");
            assertThat(options.path("sendsPerSecond").path("defaultValue").asDouble()).isEqualTo(80.0);
            assertThat(options.path("maxInFlight").path("defaultValue").asInt()).isZero();
            assertThat(options.path("outcomeUnknown").path("enum").toString()).isEqualTo("[\"HOLD\",\"RESEND\"]");
            assertThat(options.path("outcomeUnknown").path("defaultValue").asText()).isEqualTo("HOLD");
            assertThat(options.path("gate").path("javaType").asText()).isEqualTo(SendingGate.class.getName());
        }
    }

    @Test
    void theEndpointIsConfiguredByTheGeneratedConfigurerFromText() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            assertThat(PluginHelper.getConfigurerResolver(camel).resolvePropertyConfigurer("careloop-outbox-endpoint",
                    camel)).isInstanceOf(OutboxEndpointConfigurer.class);
            SendingGate closed = () -> false;
            camel.getRegistry().bind("closedGate", closed);

            OutboxEndpoint endpoint = camel.getEndpoint("careloop-outbox:due?sendsPerSecond=12.5&maxInFlight=3"
                    + "&outcomeUnknown=resend&gate=#closedGate", OutboxEndpoint.class);
            assertThat(endpoint.getSendsPerSecond()).isEqualTo(12.5);
            assertThat(endpoint.getMaxInFlight()).isEqualTo(3);
            assertThat(endpoint.getOutcomeUnknown()).isEqualTo(OutcomeUnknown.RESEND);
            assertThat(endpoint.getGate()).isSameAs(closed);
            assertThatThrownBy(() -> camel.getEndpoint("careloop-outbox:sent"))
                    .isInstanceOf(ResolveEndpointFailedException.class)
                    .hasStackTraceContaining("the outbox's endpoint is careloop-outbox:due");
        }
    }
}
