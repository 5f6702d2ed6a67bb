package org.careloop.settings;

/**
 * {@code careloop.http.*} and {@code careloop.api.token}: the HTTP listener of the operator API, the WhatsApp
 * webhook and the FHIR subscription endpoints.
 *
 * @param apiToken the operator API's bearer token; empty: one is generated in the data folder
 */
public record HttpSettings(String host, int port, Secret apiToken) {

    public static HttpSettings read(SettingsReader settings) {
        return new HttpSettings(settings.required("careloop.http.host"), settings.port("careloop.http.port"),
                settings.secret("careloop.api.token"));
    }

    /** The address a server on this machine calls us back at, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return "http://" + host + ":" + port;
    }
}
